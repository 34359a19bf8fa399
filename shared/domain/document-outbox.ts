/**
 * The outbox item an act that issues a written document writes beside its event: the documents
 * function (functions/documents) renders and stores the PDF when it arrives. Delivery is at least
 * once; the function finds a document already issued and does nothing again.
 */
export interface DocumentOutboxItem {
  type: 'document';
  applicationId: string;
  documentId: string;
  /** The act's event. */
  seq: number;
  at: string;
}

/** The EventBridge detail-type of a document outbox item (the notifications' are `eia.notification.<action>`). */
export const DOCUMENT_DETAIL_TYPE = 'eia.document.issue';

export function isDocumentOutboxItem(item: unknown): item is DocumentOutboxItem {
  const i = item as Partial<DocumentOutboxItem> | null;
  return (
    typeof i === 'object' &&
    i !== null &&
    i.type === 'document' &&
    typeof i.applicationId === 'string' &&
    typeof i.documentId === 'string'
  );
}
