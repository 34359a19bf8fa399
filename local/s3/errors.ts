/**
 * A refusal as S3 gives it: an HTTP status, S3's error code and message, and an XML body
 * (`<Error><Code>…</Code><Message>…</Message>…</Error>`) that the SDK parses into its named errors.
 */
export class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Further elements of the error body (S3 adds some, e.g. HeadersNotSigned). */
    readonly extra: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'S3Failure';
  }
}

export function errorXml(failure: S3Failure, resource: string, requestId: string): string {
  const fields: [string, string][] = [
    ['Code', failure.code],
    ['Message', failure.message],
    ...Object.entries(failure.extra),
    ['Resource', resource],
    ['RequestId', requestId],
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('')}</Error>`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
