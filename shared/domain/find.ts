import { foldText } from './notice-search.ts';
import type { Actor, Application } from './types.ts';
import { officialRoles } from './types.ts';

/**
 * Finding applications (GET /applications?q=): each application item carries `findText`, the
 * words it is found by, folded once when it is written; a search folds its terms the same way and
 * asks for every term as a substring. Chinese has no spaces between words, so a substring is what
 * a person means by "contains".
 */

/** The longest search text, in characters, and the most terms one search may hold. */
export const MAX_FIND_CHARS = 100;
export const MAX_FIND_TERMS = 5;

/**
 * Text as it is compared: full-width forms as their ordinary ones, lower case, and only letters
 * and digits, so that spaces, brackets and dashes never decide a match: `醴环评〔2026〕17号`,
 * `醴环评[2026]17号` and `醴环评 2026 17号` are all `醴环评202617号`.
 */
export function foldForFind(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The terms of a search: split where the person put spaces, each folded; terms that fold to
 * nothing (only punctuation) are left out. Every term must be found.
 */
export function findTerms(q: string): string[] {
  const terms = q
    .normalize('NFKC')
    .split(/\s+/u)
    .map(foldForFind)
    .filter((term) => term.length > 0);
  return [...new Set(terms)];
}

/** Between two values of `findText`: never in a folded term, so no term matches across two values. */
const SEPARATOR = '|';

/**
 * The words an application is found by: its case, decision and receipt numbers and every written
 * document's, the project's name, the applicant's name, code (USCC) and contact person, the
 * consultancy, the organisation and the clerk of a walk-in, the officials who acted on it, and
 * its id.
 */
export function findTextOf(app: Application): string {
  const values = [
    app.id,
    app.caseNumber,
    app.decisionNumber,
    app.receiptNumber,
    ...(app.documents ?? []).map((d) => d.number),
    app.project.name,
    app.applicant.orgName,
    app.applicant.orgCode,
    app.applicant.contactName,
    app.preparedBy?.orgName,
    app.preparedBy?.orgCode,
    app.intake?.onBehalfOf.orgName,
    app.intake?.onBehalfOf.orgCode,
    app.intake?.by.name,
    ...(app.officials ?? []).map((o) => o.name),
  ];
  const folded = values.flatMap((v) => (typeof v === 'string' ? [foldForFind(v)] : []));
  return [...new Set(folded.filter((v) => v.length > 0))].join(SEPARATOR);
}

/** Whether an application's `findText` holds every term. */
export function findMatches(findText: string, terms: readonly string[]): boolean {
  return terms.every((term) => findText.includes(term));
}

/** An official who acted on an application, as its `officials` lists them. */
export type ActingOfficial = NonNullable<Application['officials']>[number];

/**
 * The `officials` an application has once `actor` acted: an official acting for the first time
 * is added (in the order they first acted); anyone else, or one already listed, changes nothing
 * (undefined).
 */
export function withActingOfficial(
  app: Pick<Application, 'officials'> | undefined,
  actor: Actor,
): ActingOfficial[] | undefined {
  if (!(officialRoles as readonly string[]).includes(actor.role)) return undefined;
  const listed = app?.officials ?? [];
  if (listed.some((o) => o.id === actor.id)) return undefined;
  return [...listed, { id: actor.id, name: actor.name, role: actor.role as ActingOfficial['role'] }];
}
