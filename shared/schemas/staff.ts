import * as z from 'zod/mini';
import { ruleParams } from '../domain/rules.ts';
import { officialRoles, roles } from '../domain/types.ts';
import { validateUscc } from '../domain/uscc.ts';
import { MOBILE_DIGITS, text } from './common.ts';

/** Bodies of the staff routes (POST and PATCH /admin/users). */

const GroupsSchema = z.array(z.enum(roles)).check(
  z.minLength(1, 'give at least one group'),
  z.maxLength(roles.length),
  z.refine((list) => new Set(list).size === list.length, {
    message: 'each group may appear once',
    params: ruleParams('group-once'),
  }),
  // An organisation's account is not the bureau's: it would see its own applications as an official.
  z.refine(
    (list) =>
      !list.includes('applicant') || !list.some((g) => (officialRoles as readonly string[]).includes(g)),
    {
      message: 'applicant cannot be held together with clerk, reviewer or approver',
      params: ruleParams('applicant-not-official'),
    },
  ),
);

/** Lower case: Cognito signs in by e-mail whatever its case, so two spellings are one person. */
const EmailSchema = z.pipe(
  z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254)),
  z.email('must be an e-mail address such as name@example.com'),
);

/**
 * An official's mobile number for SMS notices: a mainland mobile as the applicant's contact phone is
 * one (11 digits, 1[3-9]…), optionally after +86; stored in E.164 (+8613800000000), as Cognito's
 * `phone_number` and the SMS provider take it.
 */
export const StaffPhoneSchema = z.pipe(
  z
    .string()
    .check(
      z.trim(),
      z.regex(
        new RegExp(`^(\\+86)?${MOBILE_DIGITS}$`),
        'must be a mainland mobile number: 11 digits starting with 1 (13800000000), optionally after +86',
      ),
    ),
  z.transform((phone: string) => `+86${phone.slice(-11)}`),
);

export const InvitationSchema = z
  .strictObject({
    email: EmailSchema,
    name: text(100),
    groups: GroupsSchema,
    /** A mobile number the SMS notices go to (E.164 once parsed). */
    phone: z.optional(StaffPhoneSchema),
    /** Required with `applicant`: an applicant's token carries its organisation's code. */
    orgCode: z.optional(
      z.string().check(
        z.superRefine((code: string, ctx) => {
          const r = validateUscc(code);
          if (!r.ok)
            ctx.addIssue({ code: 'custom', message: `Unified Social Credit Code ${r.reason}`, input: code });
        }),
      ),
    ),
  })
  .check(
    z.superRefine((body, ctx) => {
      if (body.groups.includes('applicant') && body.orgCode === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['orgCode'],
          message: "an applicant's account needs its organisation's Unified Social Credit Code",
          params: ruleParams('applicant-needs-org'),
          input: body,
        });
    }),
  );

export const StaffPatchSchema = z
  .strictObject({
    groups: z.optional(GroupsSchema),
    enabled: z.optional(z.boolean()),
    /** A new mobile number for SMS notices; null removes the one held. */
    phone: z.optional(z.nullable(StaffPhoneSchema)),
  })
  .check(
    z.refine((body) => body.groups !== undefined || body.enabled !== undefined || body.phone !== undefined, {
      message: 'give groups, enabled, phone or several of them',
      params: ruleParams('patch-empty'),
    }),
  );
