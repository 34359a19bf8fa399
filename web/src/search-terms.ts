/**
 * A list's search in the console (web/src/views/list.ts): its words and filters as the hash holds
 * them, and the words as the API folds them, so the console refuses what the API would refuse.
 */
export type ListKind = 'mine' | 'queue' | 'all';

/** The search and filters a list shows, as its hash's query holds them (`#/all?q=…&state=…`). */
export interface Filters {
  q: string;
  state: string;
  category: string;
}

/** The filters in the current hash: a reload or going back shows the same list. */
export function filtersOfHash(hash: string): Filters {
  const at = hash.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
  return {
    q: params.get('q')?.trim() ?? '',
    state: params.get('state') ?? '',
    category: params.get('category') ?? '',
  };
}

/** The hash of a list with these filters; without any, the plain `#/all`. */
export function hashOf(kind: ListKind, filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.state) params.set('state', filters.state);
  if (filters.category) params.set('category', filters.category);
  const query = params.toString();
  return `#/${kind}${query ? `?${query}` : ''}`;
}

/** The most words one search may hold: the API's limit (shared/domain/find.ts MAX_FIND_TERMS). */
export const MAX_WORDS = 5;

/**
 * The words of a search as the API folds them (shared/domain/find.ts findTerms): split at spaces,
 * full-width forms as ordinary ones, lower case, only letters and digits; empty ones left out.
 */
export function searchTerms(q: string): string[] {
  const terms = q
    .normalize('NFKC')
    .split(/\s+/u)
    .map((w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => w.length > 0);
  return [...new Set(terms)];
}
