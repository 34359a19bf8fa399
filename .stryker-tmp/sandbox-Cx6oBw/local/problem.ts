// @ts-nocheck
import { STATUS_CODES } from 'node:http';

/** What the local server itself answers (not a handler): always RFC 9457 problem+json. */
export interface LocalResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function problem(
  status: number,
  detail: string,
  extra: { headers?: Record<string, string>; fields?: Record<string, unknown> } = {},
): LocalResponse {
  const body = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...extra.fields,
  };
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...extra.headers },
    body: JSON.stringify(body),
  };
}

export function json(status: number, value: unknown): LocalResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
