/** The documents function's Lambda: an EventBridge event carrying an outbox item of type `document`. */
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../support/api-events.ts';

/** What the core does this time: fail with this error, or answer that it issued the document. */
let failure: Error | undefined;
const issueDocument = vi.fn(async (..._args: unknown[]) => {
  if (failure) throw failure;
  return { outcome: 'issued', sha256: 'a'.repeat(64), sizeBytes: 1, stored: 'created' };
});
vi.mock('../../../../functions/documents/issue.ts', () => ({ issueDocument }));
vi.mock('../../../../functions/documents/runtime.ts', () => ({ runtimeIssuePorts: () => ({ ports: true }) }));

const { handler } = await import('../../../../functions/documents/handler.ts');

const context = lambdaContext as unknown as Context;
const event = (detail: unknown) =>
  ({ id: 'evt-1', 'detail-type': 'eia.document.issue', source: 'eia.approval', detail }) as EventBridgeEvent<
    string,
    never
  >;

beforeEach(() => {
  issueDocument.mockClear();
  failure = undefined;
});

describe('documents handler', () => {
  it('issues the document the item names, with a request id of the event', async () => {
    await handler(
      event({ type: 'document', applicationId: 'app-1', documentId: 'APPROVAL-13', seq: 13, at: 'x' }),
      context,
    );
    expect(issueDocument).toHaveBeenCalledWith({ ports: true }, 'app-1', 'APPROVAL-13', 'document-evt-1');
  });

  it('fails the invocation when issuing fails, so that Lambda retries it', async () => {
    failure = new Error('S3 is down');
    await expect(
      handler(event({ type: 'document', applicationId: 'app-1', documentId: 'APPROVAL-13' }), context),
    ).rejects.toThrow('S3 is down');
  });

  it('ignores (without retrying) what is not a document item', async () => {
    await handler(event({ action: 'approve', applicationId: 'app-1' }), context);
    expect(issueDocument).not.toHaveBeenCalled();
  });
});
