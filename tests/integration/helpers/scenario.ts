/**
 * Steps the integration tests share: a draft of the 陶瓷 project, an action that must succeed, an
 * application submitted on a given day and a sweep on a given day. Each takes the LocalStack.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { TokenSubject } from '../../../local/tokens.ts';
import { defaultConfig } from '../../../shared/domain/config.ts';
import type { Category } from '../../../shared/domain/types.ts';
import { usccCheckChar } from '../../../shared/domain/uscc.ts';
import { type LocalStack, type StackResponse, users, type Who } from './local-stack.ts';
import { withFiles } from './uploads.ts';

export { uploadFile, uploadMaterials, withFiles } from './uploads.ts';

/** Beijing wall-clock time as an instant. */
export const beijing = (date: string, time = '10:00') => `${date}T${time}:00+08:00`;

/**
 * A material named and hashed after its code, with no file behind it; with `v`, that version of it.
 * Enough for a draft; a submission needs files (uploadFile, withFiles).
 */
export const material = (code: string, v?: number) => {
  const name = v === undefined ? code : `${code}-v${v}`;
  return {
    code,
    fileName: `${name}.pdf`,
    sha256: createHash('sha256')
      .update(v === undefined ? code : `${code}${v}`)
      .digest('hex'),
    sizeBytes: 100,
  };
};

/** Every material the category requires, lower-case file names (the audit tests' trails). */
export const requiredMaterials = (category: Category = 'REPORT_FORM', sizeBytes = 1234) =>
  defaultConfig.required[category].map((code) => ({
    code,
    fileName: `${code.toLowerCase()}.pdf`,
    sha256: createHash('sha256').update(code).digest('hex'),
    sizeBytes,
  }));

/** Another applicant organisation than `users.applicant`. */
export const otherApplicant = {
  sub: 'other-applicant',
  name: '别家公司',
  groups: ['applicant'],
  orgCode: `91430281MA4L9YY9X${usccCheckChar('91430281MA4L9YY9X')}`,
} satisfies TokenSubject;

/** The body of a complete draft of the kiln project, from `users.applicant`. */
export function draftBody(category: Category = 'REPORT_FORM', name = '陶瓷窑炉改造') {
  return {
    category,
    project: { name, location: '醴陵市', industry: '陶瓷', investmentCny: 1_000_000 },
    applicant: {
      orgName: '醴陵市某陶瓷有限公司',
      orgCode: users.applicant.orgCode,
      contactName: '黄秀英',
      contactPhone: '13873301234',
    },
    materials: defaultConfig.required[category].map((code) => material(code)),
  };
}

/**
 * Creates a draft (201 expected) and uploads a real file for each of its materials, which it then
 * names (withFiles: one PATCH, so the draft is at version 2); its id.
 */
export async function draft(stack: LocalStack, category?: Category, name?: string): Promise<string> {
  const res = await stack.request<{ id: string }>('POST', '/applications', {
    as: 'applicant',
    body: draftBody(category, name),
  });
  expect(res.status, res.text).toBe(201);
  await withFiles(stack, res.json.id, 'applicant');
  return res.json.id;
}

export function act<T = { application: { version: number; caseNumber?: string } }>(
  stack: LocalStack,
  id: string,
  action: string,
  as: Who,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<StackResponse<T>> {
  return stack.request<T>('POST', `/applications/${id}/actions/${action}`, { as, body, headers });
}

/** An action that must succeed (200). */
export async function ok(stack: LocalStack, id: string, action: string, as: Who, body: unknown = {}) {
  const res = await act(stack, id, action, as, body);
  expect(res.status, `${action}: ${res.text}`).toBe(200);
  return res;
}

/** A REPORT_FORM application created and submitted at 09:00 Beijing on `on`; its id. */
export async function submitted(stack: LocalStack, on: string): Promise<string> {
  await stack.setNow(beijing(on, '09:00'));
  const id = await draft(stack);
  await ok(stack, id, 'submit', 'applicant');
  return id;
}

/** POST /local/sweep at 02:00 Beijing on `on` (200 expected); its report. */
export async function sweep<T = { steps: Record<string, number> }>(
  stack: LocalStack,
  on: string,
): Promise<T> {
  await stack.setNow(beijing(on, '02:00'));
  const res = await stack.request<T>('POST', '/local/sweep');
  expect(res.status, res.text).toBe(200);
  return res.json;
}
