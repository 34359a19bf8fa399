import type { Application, AuditEvent, Notice } from '../domain/types.ts';
import { mainTable } from './table.ts';

/** Every key and index value of the table is made here, and nowhere else. */
const [byOwner, byState, all] = mainTable.globalSecondaryIndexes;
export const indexes = { byOwner, byState, all } as const;
export type IndexName = keyof typeof indexes;

const APP = 'APP';
const EVENT_PREFIX = 'EVT#';
const NOTICES = 'NOTICES';

export const appPk = (id: string) => `APP#${id}`;

export function appKey(id: string) {
  return { pk: appPk(id), sk: APP };
}

/** Zero-padded so that events sort by seq. */
export function eventKey(id: string, seq: number) {
  return { pk: appPk(id), sk: `${EVENT_PREFIX}${String(seq).padStart(10, '0')}` };
}
export const eventSkPrefix = EVENT_PREFIX;

export const ownerPk = (ownerId: string) => `OWNER#${ownerId}`;
export const statePk = (state: string) => `STATE#${state}`;
export const allPk = APP;

/** The index attributes of an application item: newest first by creation in each list. */
export function appIndexKeys(app: Application) {
  const sortKey = `${app.createdAt}#${app.id}`;
  return {
    gsi1pk: ownerPk(app.ownerId),
    gsi1sk: sortKey,
    gsi2pk: statePk(app.state),
    gsi2sk: sortKey,
    gsi3pk: allPk,
    gsi3sk: sortKey,
  };
}

export function eventItemKey(event: Pick<AuditEvent, 'applicationId' | 'seq'>) {
  return eventKey(event.applicationId, event.seq);
}

export const noticesPk = NOTICES;
export function noticeKey(notice: Notice) {
  return { pk: NOTICES, sk: `${notice.publishedAt}#${notice.applicationId}#${notice.kind}` };
}

export function idempotencyKey(scope: string) {
  return { pk: `IDEM#${scope}` };
}

/** Attributes that are keys, not part of the stored record. */
export const keyAttributes = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'headHash',
] as const;
