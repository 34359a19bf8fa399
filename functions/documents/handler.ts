import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { type DocumentOutboxItem, isDocumentOutboxItem } from '../../shared/domain/document-outbox.ts';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { issueDocument } from './issue.ts';
import { runtimeIssuePorts } from './runtime.ts';

/**
 * The documents function: a rule on the service's bus sends it every `eia.document.issue` event
 * (an act's outbox item `document`); it renders that document's PDF, stores it and records its
 * SHA-256 in the trail (./issue.ts). Delivery is at least once and a run may stop anywhere: a
 * second run finds the stored object or the recorded SHA-256 and issues no second document. An
 * error fails the invocation; Lambda retries it, then hands it to the failure destination.
 */
export const handler = middy(async (event: EventBridgeEvent<string, DocumentOutboxItem>) => {
  const item = event.detail;
  if (!isDocumentOutboxItem(item)) {
    // Not retryable: no run would make sense of it.
    logger.error('not a document outbox item', { detailType: event['detail-type'], id: event.id });
    return;
  }
  const result = await issueDocument(
    runtimeIssuePorts(),
    item.applicationId,
    item.documentId,
    `document-${event.id}`,
  );
  const fields = { applicationId: item.applicationId, documentId: item.documentId, ...result };
  if (result.outcome === 'unknown') logger.warn('no such document: nothing issued', fields);
  else logger.info('document', fields);
}).use(logContext());
