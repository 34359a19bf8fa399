import * as z from 'zod/mini';
import { ruleParams } from '../domain/rules.ts';
import {
  CategorySchema,
  MaterialCodeSchema,
  MaterialSchema,
  MaterialsSchema,
  MilestoneSchema,
  text,
} from './common.ts';

/** The payload of every workflow action (docs/workflow.md#actions). Unknown fields are refused. */
const list = <T extends z.ZodMiniType>(item: T, max = 50) =>
  z.array(item).check(z.minLength(1), z.maxLength(max));
const Empty = z.strictObject({});

/**
 * An official's files on their act (docs/documents.md#attachments): uploaded like materials, each
 * with the one code the act takes, at most 20.
 */
const attachments = (code: 'EXPERT_OPINION' | 'HEARING_RECORD') =>
  z.optional(
    z
      .array(
        z.extend(MaterialSchema, {
          code: z.literal(code, `must be ${code}: the only code of this act's attachments`),
        }),
      )
      .check(
        z.maxLength(20),
        z.refine((list) => new Set(list.map((m) => m.sha256)).size === list.length, {
          message: 'each file may be attached once',
          params: ruleParams('file-attached-once'),
        }),
      ),
  );

export const actionPayloads = {
  request_preview: z.strictObject({ question: z.optional(text(4000, 'lines')) }),
  give_preview_advice: z.strictObject({
    advice: text(8000, 'lines'),
    suggestedCategory: z.optional(CategorySchema),
  }),
  submit: Empty,
  request_supplement: z.strictObject({
    items: list(z.strictObject({ code: MaterialCodeSchema, reason: text(2000, 'lines') })),
  }),
  resubmit: z.strictObject({ materials: MaterialsSchema.check(z.minLength(1)) }),
  accept: Empty,
  decline: z.strictObject({ reason: text(4000, 'lines') }),
  start_review: Empty,
  start_expert_review: z.strictObject({
    expectedWorkingDays: z.int().check(z.minimum(1), z.maximum(120)),
    panel: z.optional(list(text(100), 30)),
  }),
  record_expert_opinion: z.strictObject({
    opinion: text(8000, 'lines'),
    conclusion: z.enum(['PASS', 'PASS_WITH_CHANGES', 'FAIL']),
    attachments: attachments('EXPERT_OPINION'),
  }),
  request_revision: z.strictObject({
    items: list(z.strictObject({ topic: text(200), detail: text(4000, 'lines') })),
  }),
  submit_revision: z.strictObject({ response: text(8000, 'lines'), materials: z.optional(MaterialsSchema) }),
  propose_decision: z.strictObject({
    proposal: z.enum(['approve', 'reject']),
    conditions: z.optional(list(text(2000, 'lines'))),
    reasons: z.optional(list(text(2000, 'lines'))),
  }),
  approve: z.strictObject({ conditions: z.optional(list(text(2000, 'lines'))) }),
  reject: z.strictObject({ reasons: list(text(2000, 'lines')) }),
  return_to_review: z.strictObject({ reason: text(4000, 'lines') }),
  request_hearing: z.strictObject({ reason: text(4000, 'lines') }),
  schedule_hearing: z.strictObject({
    at: z.iso.datetime({
      offset: true,
      error: 'must be an ISO date-time with its offset, e.g. 2026-04-01T09:30:00+08:00',
    }),
    place: text(200),
  }),
  record_hearing_outcome: z.strictObject({
    summary: text(8000, 'lines'),
    next: z.enum(['PUBLIC_NOTICE', 'UNDER_REVIEW']),
    attachments: attachments('HEARING_RECORD'),
  }),
  withdraw: z.strictObject({ reason: z.optional(text(4000, 'lines')) }),
  record_milestone: z.strictObject({ milestone: MilestoneSchema, note: z.optional(text(2000, 'lines')) }),
} as const;

export type ActionName = keyof typeof actionPayloads;
export type PayloadOf<A extends ActionName> = z.infer<(typeof actionPayloads)[A]>;
export const actionNames = Object.keys(actionPayloads) as ActionName[];
