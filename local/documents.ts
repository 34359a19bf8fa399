/**
 * Written documents locally (docs/documents.md#written-documents): in AWS the act's outbox item
 * reaches the documents function through the bus; here the server runs the same core itself,
 * after an action request that succeeded and after each sweep, before either answers, on the
 * document items the outbox received meanwhile. Off until `enableLocalDocuments` (`npm start`
 * turns it on), so that a server without a documents bucket works as before.
 */
import { isDocumentOutboxItem } from '../shared/domain/document-outbox.ts';

let enabled: { baseUrl: string } | undefined;
/** One run at a time, in order: the acts of one application are issued one after the other. */
let queue: Promise<unknown> = Promise.resolve();

export function enableLocalDocuments(baseUrl: string): void {
  enabled = { baseUrl };
}

export function disableLocalDocuments(): void {
  enabled = undefined;
}

export const localDocumentsEnabled = () => enabled !== undefined;

/**
 * Issues the documents whose outbox items were written between two instants (ISO, by the
 * handlers' clock, inclusive); how many. Queued behind any run still going.
 */
export function issueDocumentsBetween(from: string, to: string): Promise<number> {
  const settings = enabled;
  if (!settings) return Promise.resolve(0);
  const run = queue.then(async () => {
    const [{ issueDocument }, { runtimeIssuePorts }, { getStore }] = await Promise.all([
      import('../functions/documents/issue.ts'),
      import('../functions/documents/runtime.ts'),
      import('../shared/runtime/clients.ts'),
    ]);
    const ports = runtimeIssuePorts(settings.baseUrl);
    let issued = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await getStore().outboxBetween(from, to, 100, startKey);
      for (const item of page.items) {
        if (!isDocumentOutboxItem(item)) continue;
        const result = await issueDocument(
          ports,
          item.applicationId,
          item.documentId,
          `local-${item.documentId}`,
        );
        if (result.outcome === 'issued') issued += 1;
      }
      startKey = page.lastKey;
    } while (startKey);
    return issued;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Every run queued so far, finished (tests wait on it). */
export function localDocumentsIdle(): Promise<void> {
  return queue.then(() => undefined);
}
