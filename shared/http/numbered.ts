import type { Step } from '../domain/decide.ts';
import { type CounterValues, counterId } from '../domain/numbers.ts';
import { CounterConflictError, ServiceUnavailableError } from '../store/errors.ts';
import type { ApplicationStore } from '../store/ports.ts';

/**
 * Acts that issue a numbered document (docs/documents.md#document-numbers): the counters they
 * take a number from are read before deciding, and the commit moves them on the condition of the
 * value read. When another act took that number first, the whole act (load, decide, commit) runs
 * again on the counter's new value, a few times with a jittered wait; then 503 with Retry-After.
 */
export const NUMBER_ATTEMPTS = 10;

/**
 * The step `decideWith` gives, numbered: decided once without counters (pure and cheap, so a
 * refusal costs no read), and when it issues a document, decided again with its counter as read.
 */
export async function decideNumbered<S extends Step | undefined>(
  store: Pick<ApplicationStore, 'counter'>,
  decideWith: (counters: CounterValues | undefined) => S,
): Promise<S> {
  const first = decideWith(undefined);
  if (!first?.issued) return first;
  const id = counterId(first.issued.series, first.issued.year);
  return decideWith({ [id]: await store.counter(id) });
}

/** 503: the act lost its number to other acts `NUMBER_ATTEMPTS` times in a row; nothing was written. */
export class NumbersBusyError extends ServiceUnavailableError {
  constructor() {
    super(
      'many documents are being numbered at this moment and this one did not get its number; nothing was changed, retry shortly',
      1,
    );
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full jitter on a doubling cap (25 ms, 50 ms, … up to 800 ms): concurrent acts spread out. */
export function jitterMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(800, 25 * 2 ** attempt));
}

/** Runs `act` again while it loses its document number to another act, at most `attempts` times. */
export async function retryOnNumberConflict<T>(
  act: () => Promise<T>,
  options: { attempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const attempts = options.attempts ?? NUMBER_ATTEMPTS;
  const sleep = options.sleep ?? wait;
  for (let attempt = 1; ; attempt++) {
    try {
      return await act();
    } catch (error) {
      if (!(error instanceof CounterConflictError)) throw error;
      if (attempt >= attempts) {
        throw new NumbersBusyError();
      }
      await sleep(jitterMs(attempt));
    }
  }
}
