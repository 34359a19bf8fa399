import type { IsoDate } from './clock.ts';
import type { Notice } from './types.ts';

export const noticeKinds = ['ACCEPTANCE', 'PROPOSED_DECISION', 'DECISION', 'FILING'] as const;

/** GET /public/notices's filters; every one optional, all of them must hold. */
export interface NoticeSearch {
  kind?: Notice['kind'];
  /** Published on or after this Beijing day. */
  from?: IsoDate;
  /** Published on or before this Beijing day. */
  to?: IsoDate;
  /** Text found in the project's name, the organisation's name, the number or the location. */
  q?: string;
}

/** Whether the search filters at all (none: the plain list, newest first). */
export function isFiltered(search: NoticeSearch): boolean {
  return (
    search.kind !== undefined ||
    search.from !== undefined ||
    search.to !== undefined ||
    search.q !== undefined
  );
}

/**
 * Text as it is compared: full-width letters and digits as their ordinary forms (ＡＢＣ１ as ABC1),
 * then lower case, so that Latin letters match whatever their case. Chinese is unchanged.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const searchedFields = ['projectName', 'orgName', 'number', 'location'] as const;

/** Whether a notice is one the search asks for. */
export function noticeMatches(notice: Notice, search: NoticeSearch): boolean {
  if (search.kind !== undefined && notice.kind !== search.kind) return false;
  if (search.from !== undefined && notice.publishedOn < search.from) return false;
  if (search.to !== undefined && notice.publishedOn > search.to) return false;
  if (search.q === undefined) return true;
  const q = foldText(search.q);
  return searchedFields.some((field) => {
    const value = notice[field];
    return typeof value === 'string' && foldText(value).includes(q);
  });
}

const DAY_MS = 86_400_000;

/**
 * The stretch of publishing instants (UTC ISO, as notices are keyed) the days `from`..`to` cover:
 * `lo` the first instant of `from` in Beijing (inclusive), `hi` the first instant after `to`
 * (exclusive). A notice's `publishedOn` is the Beijing day of its `publishedAt`.
 */
export function publishedBounds(search: NoticeSearch): { lo?: string; hi?: string } {
  const midnight = (day: IsoDate) => Date.parse(`${day}T00:00:00+08:00`);
  const lo = search.from === undefined ? undefined : new Date(midnight(search.from)).toISOString();
  const hi = search.to === undefined ? undefined : new Date(midnight(search.to) + DAY_MS).toISOString();
  return { ...(lo === undefined ? {} : { lo }), ...(hi === undefined ? {} : { hi }) };
}
