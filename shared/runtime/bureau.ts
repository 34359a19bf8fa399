/**
 * Recording a change of the bureau's data with its event in the `bureau` audit stream:
 *
 *   recordBureauChange(change: BureauChange, store?: BureauStore): Promise<BureauEvent>
 *
 * `change` is the event without its place in the chain ({ action, actor, at, subject, payload,
 * changes, requestId }) and, optionally, `record`: the record it writes at its new version (kind,
 * id, version, body, updatedAt, updatedBy). The event is linked to the stream's head and written in
 * one transaction with the record. A lost race for the seq is retried on the new head; a record no
 * longer at `version - 1` is ConcurrentChangeError with `staleVersion` (412 with If-Match, else 409).
 * A change that lives outside the table (a Cognito user) passes no record: its event is all there is.
 */
import { type BureauEvent, chainBureauEvent, type UnsignedBureauEvent } from '../domain/bureau.ts';
import { ConcurrentChangeError } from '../store/errors.ts';
import type { BureauRecord, BureauStore } from '../store/ports.ts';
import { getBureauStore } from './clients.ts';

export type BureauChange = UnsignedBureauEvent & { record?: BureauRecord };

/** Enough for any burst of admins; each attempt reads the head afresh. */
const ATTEMPTS = 5;

export async function recordBureauChange(
  change: BureauChange,
  store: BureauStore = getBureauStore(),
): Promise<BureauEvent> {
  const { record, ...unsigned } = change;
  for (let attempt = 1; ; attempt++) {
    const event = chainBureauEvent(unsigned, await store.head());
    try {
      await store.commit({ event, ...(record ? { record } : {}) });
      return event;
    } catch (error) {
      if (!(error instanceof ConcurrentChangeError) || error.staleVersion || attempt >= ATTEMPTS) throw error;
    }
  }
}
