import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AppError } from '../domain/errors.ts';

export type Result = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/** The one way a handler answers. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
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
