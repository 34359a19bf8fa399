import * as z from 'zod/mini';
import { ruleParams } from '../domain/rules.ts';
import { officialRoles, roles } from '../domain/types.ts';
import { validateUscc } from '../domain/uscc.ts';
import { text } from './common.ts';

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

export const InvitationSchema = z
  .strictObject({
    email: EmailSchema,
    name: text(100),
    groups: GroupsSchema,
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
  .strictObject({ groups: z.optional(GroupsSchema), enabled: z.optional(z.boolean()) })
  .check(
    z.refine((body) => body.groups !== undefined || body.enabled !== undefined, {
      message: 'give groups, enabled or both',
      params: ruleParams('patch-empty'),
    }),
  );
