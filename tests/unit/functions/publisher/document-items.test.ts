/** The publisher puts an act's document item on the bus with its own detail-type, not as a notification. */
import { describe, expect, it } from 'vitest';
import { detailTypeOf } from '../../../../functions/publisher/publish.ts';
import { DOCUMENT_DETAIL_TYPE, isDocumentOutboxItem } from '../../../../shared/domain/document-outbox.ts';
import type { Notification } from '../../../../shared/domain/notifications.ts';

const item = {
  type: 'document',
  applicationId: 'a',
  documentId: 'APPROVAL-13',
  seq: 13,
  at: '2026-03-20T02:00:00.000Z',
} as const;

describe('detailTypeOf', () => {
  it('eia.document.issue for a document item, eia.notification.<action> for a notification', () => {
    expect(detailTypeOf(item)).toBe(DOCUMENT_DETAIL_TYPE);
    expect(DOCUMENT_DETAIL_TYPE).toBe('eia.document.issue');
    expect(detailTypeOf({ action: 'approve' } as Notification)).toBe('eia.notification.approve');
  });

  it('tells a document item by its type and ids only', () => {
    expect(isDocumentOutboxItem(item)).toBe(true);
    expect(isDocumentOutboxItem({ ...item, type: 'notification' })).toBe(false);
    expect(isDocumentOutboxItem({ type: 'document', applicationId: 'a' })).toBe(false);
    expect(isDocumentOutboxItem(null)).toBe(false);
  });
});
