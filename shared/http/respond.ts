import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type AppError, ValidationError } from '../domain/errors.ts';
import { zhIssueMessage } from '../schemas/issue-words.ts';

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

/** Each status's title in Chinese, for a caller that asked for it. */
const zhTitles: Record<number, string> = {
  400: '请求有误',
  401: '未登录或登录已过期',
  403: '无权进行此操作',
  404: '未找到',
  409: '与当前状态冲突',
  412: '内容已被他人更改',
  413: '内容过大',
  415: '内容类型不支持',
  422: '不符合办理规则',
  429: '请求过于频繁',
  500: '系统内部错误',
  503: '服务暂时不可用',
};

/**
 * An AppError as application/problem+json (RFC 9457). With `zh` (the request's Accept-Language
 * put Chinese first) the title and each field issue's message are in Chinese, and so is the detail
 * of a validation error; a rule's detail stays in English, and clients word it by its `type`.
 */
export function problem(error: AppError, instance?: string, zh = false): Result {
  const issues = zh ? error.issues?.map((i) => ({ ...i, message: zhIssueMessage(i) })) : error.issues;
  const fields = [...new Set((error.issues ?? []).map((i) => i.path || '(root)'))].join(', ');
  const body = {
    type: `${problemBase}${error.type}`,
    title: (zh && zhTitles[error.status]) || error.title,
    status: error.status,
    detail: zh && error instanceof ValidationError && fields ? `以下内容有误：${fields}` : error.message,
    ...(instance ? { instance } : {}),
    ...(issues?.length ? { issues } : {}),
  };
  return json(error.status, body, {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-language': zh ? 'zh-CN' : 'en',
    vary: 'Accept-Language',
    ...error.headers,
  });
}
