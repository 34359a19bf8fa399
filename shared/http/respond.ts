import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AppError } from '../domain/errors.ts';

export type Result = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/**
 * A body serialised once, to be sent many times: a document that never changes is not
 * serialised again on every request (/openapi.json is ≈ 60 KB of JSON).
 */
export class JsonText {
  private constructor(readonly text: string) {}
  static of(value: unknown): JsonText {
    return new JsonText(JSON.stringify(value));
  }
}

/** The one way a handler answers; a JsonText body is sent as it is. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: body instanceof JsonText ? body.text : JSON.stringify(body),
  };
}

const problemBase = 'https://eia.liling.gov.cn/problems/';

/** An AppError as application/problem+json (RFC 9457). */
export function problem(error: AppError, instance?: string): Result {
  const body = {
    type: `${problemBase}${error.type}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.issues?.length ? { issues: error.issues } : {}),
  };
  return json(error.status, body, {
    'content-type': 'application/problem+json; charset=utf-8',
    ...error.headers,
  });
}
