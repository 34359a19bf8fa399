import { chinaCalendar, type WorkCalendar } from '../domain/calendar.ts';
import { defaultConfig, type WorkflowConfig } from '../domain/config.ts';
import { nextCheckOn } from '../domain/deadlines.ts';
import { findTextOf } from '../domain/find.ts';
import type { Notification } from '../domain/notifications.ts';
import { waitsOn } from '../domain/queue.ts';
import type { Application, AuditEvent, Notice } from '../domain/types.ts';
import { mainTable } from './table.ts';

/** Every key and index value of the table is made here, and nowhere else. */
type MainIndex = (typeof mainTable.globalSecondaryIndexes)[number];
/** By name, not position: adding an index elsewhere in the list moves nothing here. */
function index<N extends MainIndex['indexName']>(name: N): Extract<MainIndex, { indexName: N }> {
  const found = mainTable.globalSecondaryIndexes.find((i) => i.indexName === name);
  if (!found) throw new Error(`no index ${name} in shared/store/table.ts`);
  return found as Extract<MainIndex, { indexName: N }>;
}
export const indexes = {
  byOwner: index('gsi1-owner'),
  byState: index('gsi2-state'),
  all: index('gsi3-all'),
  byActor: index('gsi4-actor'),
  byAction: index('gsi5-action'),
  byDay: index('gsi6-day'),
  sweep: index('gsi7-sweep'),
  queue: index('gsi8-queue'),
  find: index('gsi9-find'),
} as const;
export type IndexName = keyof typeof indexes;

const APP = 'APP';
const EVENT_PREFIX = 'EVT#';
const NOTICES = 'NOTICES';
const AUDIT_LOG = 'AUDITLOG';

export const appPk = (id: string) => `APP#${id}`;

export function appKey(id: string) {
  return { pk: appPk(id), sk: APP };
}

/** Zero-padded so that events sort by seq. */
export function eventKey(id: string, seq: number) {
  return { pk: appPk(id), sk: `${EVENT_PREFIX}${String(seq).padStart(10, '0')}` };
}
export const eventSkPrefix = EVENT_PREFIX;

/** An upload record (shared/domain/uploads.ts UploadRecord) sits beside its application. */
const UPLOAD_PREFIX = 'UPLOAD#';
export const uploadSkPrefix = UPLOAD_PREFIX;
export function uploadKey(applicationId: string, uploadId: string) {
  return { pk: appPk(applicationId), sk: `${UPLOAD_PREFIX}${uploadId}` };
}

/** A public comment (shared/domain/comments.ts PublicComment) sits beside its application. */
const COMMENT_PREFIX = 'COMMENT#';
export const commentSkPrefix = COMMENT_PREFIX;
export function commentKey(applicationId: string, commentId: string) {
  return { pk: appPk(applicationId), sk: `${COMMENT_PREFIX}${commentId}` };
}

/** An interested party's hearing request (shared/domain/hearings.ts HearingRequest) sits beside its application. */
const HEARING_REQUEST_PREFIX = 'HEARING_REQUEST#';
export const hearingRequestSkPrefix = HEARING_REQUEST_PREFIX;
export function hearingRequestKey(applicationId: string, hearingRequestId: string) {
  return { pk: appPk(applicationId), sk: `${HEARING_REQUEST_PREFIX}${hearingRequestId}` };
}

export const ownerPk = (ownerId: string) => `OWNER#${ownerId}`;
/** The owner partition of an organisation: its walk-in applications (docs/roles.md#walk-in-intake). */
export const orgPk = (orgCode: string) => `ORG#${orgCode}`;
export const statePk = (state: string) => `STATE#${state}`;
export const allPk = APP;
export const sweepPk = 'SWEEP';

/**
 * The index attributes of an application item: newest first by creation in each list. The sweep
 * and queue dates are counted on `calendar`: the calendar at run time (shared/runtime/calendar.ts).
 */
export function appIndexKeys(
  app: Application,
  calendar: WorkCalendar = chinaCalendar,
  config: WorkflowConfig = defaultConfig,
) {
  const sortKey = `${app.createdAt}#${app.id}`;
  return {
    // A walk-in is listed under the organisation that owns it, not under the clerk who typed it.
    gsi1pk: app.intake ? orgPk(app.intake.onBehalfOf.orgCode) : ownerPk(app.ownerId),
    gsi1sk: sortKey,
    gsi2pk: statePk(app.state),
    gsi2sk: sortKey,
    gsi3pk: allPk,
    gsi3sk: sortKey,
    ...sweepKeys(app, calendar, config),
    ...queueKeys(app, calendar, config),
    ...findIndexKeys(app),
  };
}

/** The partition of the find index: every application in one, newest first, like `allPk`. */
export const findPk = 'FIND';

/** In the find index with the words it is found by (shared/domain/find.ts), written with the item. */
export function findIndexKeys(app: Application) {
  return { gsi9pk: findPk, gsi9sk: `${app.createdAt}#${app.id}`, findText: findTextOf(app) };
}

/** On the sweeper's list from the first day something may be due; off it when nothing ever is. */
function sweepKeys(
  app: Application,
  calendar: WorkCalendar,
  config: WorkflowConfig,
): { gsi7pk?: string; gsi7sk?: string } {
  const on = nextCheckOn(app, config, calendar);
  return on ? { gsi7pk: sweepPk, gsi7sk: `${on}#${app.id}` } : {};
}

export const roleQueuePk = (role: string) => `WAITS#role#${role}`;
export const userQueuePk = (userId: string) => `WAITS#user#${userId}`;
export const orgQueuePk = (orgCode: string) => `WAITS#org#${orgCode}`;
/** Sorts after every real date: what has no due date comes last. */
export const NO_DUE_DATE = '9999-12-31';

/**
 * In the work queue of whoever the application waits on, by due date (as of this write); off it
 * when it waits on nobody. `waitsAfter`: not actionable until the day after (a notice period).
 */
function queueKeys(
  app: Application,
  calendar: WorkCalendar,
  config: WorkflowConfig,
): { gsi8pk?: string; gsi8sk?: string; waitsAfter?: string } {
  const waits = waitsOn(app, config, calendar);
  if (!waits) return {};
  const pk =
    waits.userId !== undefined
      ? userQueuePk(waits.userId)
      : waits.orgCode !== undefined
        ? orgQueuePk(waits.orgCode)
        : waits.role
          ? roleQueuePk(waits.role)
          : undefined;
  if (!pk) return {};
  return {
    gsi8pk: pk,
    gsi8sk: `${waits.due ?? NO_DUE_DATE}#${app.createdAt}#${app.id}`,
    ...(waits.after ? { waitsAfter: waits.after } : {}),
  };
}

/** The dates an application item is indexed by, read back off its sweep and queue keys. */
export function indexedDatesOf(item: Record<string, unknown>): { sweepOn?: string; queueDue?: string } {
  const sweepOn = typeof item.gsi7sk === 'string' ? item.gsi7sk.slice(0, 10) : undefined;
  const due = typeof item.gsi8sk === 'string' ? item.gsi8sk.slice(0, 10) : undefined;
  return {
    ...(sweepOn ? { sweepOn } : {}),
    ...(due && due !== NO_DUE_DATE ? { queueDue: due } : {}),
  };
}

export function eventItemKey(event: Pick<AuditEvent, 'applicationId' | 'seq'>) {
  return eventKey(event.applicationId, event.seq);
}

/** An event's place in every audit index: time first, then application and seq break ties. */
export function eventSortKey(event: Pick<AuditEvent, 'applicationId' | 'seq' | 'at'>): string {
  return `${event.at}#${event.applicationId}#${String(event.seq).padStart(10, '0')}`;
}

export const actorPk = (actorId: string) => `ACTOR#${actorId}`;
export const actionPk = (action: string) => `ACTION#${action}`;
/** `day` is a UTC date, YYYY-MM-DD: events' `at` is an ISO instant in UTC, so its first 10 characters. */
export const dayPk = (day: string) => `${EVENT_PREFIX}${day}`;
export const dayOf = (at: string) => at.slice(0, 10);

/**
 * The audit index attributes of an event item (sparse indexes: nothing else carries them). Events
 * written before these indexes existed lack them: they are found by application only.
 */
export function eventIndexKeys(event: Pick<AuditEvent, 'applicationId' | 'seq' | 'at' | 'actor' | 'action'>) {
  const sortKey = eventSortKey(event);
  return {
    gsi4pk: actorPk(event.actor.id),
    gsi4sk: sortKey,
    gsi5pk: actionPk(event.action),
    gsi5sk: sortKey,
    gsi6pk: dayPk(dayOf(event.at)),
    gsi6sk: sortKey,
  };
}

/** The item of an event exactly as `commit` writes it. */
export function eventItem(event: AuditEvent): Record<string, unknown> {
  return { ...event, ...eventItemKey(event), ...eventIndexKeys(event) };
}

/** The seq of an event item, from its sort key (where it is stored, whatever its body says). */
export function seqOfEventSk(sk: string): number | undefined {
  if (!sk.startsWith(EVENT_PREFIX)) return undefined;
  const seq = Number(sk.slice(EVENT_PREFIX.length));
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * Who exported personal data, when, with what filter: one item each, in a partition of its own
 * (an audit event belongs to one application's chain; an export spans many).
 */
export const auditLogPk = AUDIT_LOG;
export function auditLogKey(at: string, requestId: string) {
  return { pk: AUDIT_LOG, sk: `${at}#${requestId}` };
}

export const noticesPk = NOTICES;
export function noticeKey(notice: Notice) {
  return { pk: NOTICES, sk: `${notice.publishedAt}#${notice.applicationId}#${notice.kind}` };
}

/**
 * A notice's stable id, as the public sees it: its own sort key (publishing instant, application,
 * kind), base64url-encoded so that it is one path segment.
 */
export function noticeIdOf(notice: Pick<Notice, 'publishedAt' | 'applicationId' | 'kind'>): string {
  return Buffer.from(noticeKey(notice as Notice).sk, 'utf8').toString('base64url');
}

/** The key of the notice a noticeId names; undefined when it cannot be one. */
export function noticeKeyOfId(noticeId: string): { pk: string; sk: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(noticeId)) return undefined;
  const sk = Buffer.from(noticeId, 'base64url').toString('utf8');
  // Only a canonical encoding names a notice: one id per notice, never two spellings.
  if (Buffer.from(sk, 'utf8').toString('base64url') !== noticeId) return undefined;
  const parts = sk.split('#');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  return { pk: NOTICES, sk };
}

/**
 * The transactional outbox: one item per notification, written in the same transaction as its
 * event; a stream consumer publishes them. `n` tells apart several notifications of one event.
 */
export const outboxPk = 'OUTBOX';
export function outboxKey(notification: Pick<Notification, 'at' | 'applicationId' | 'seq'>, n: number) {
  return {
    pk: outboxPk,
    sk: `${notification.at}#${notification.applicationId}#${String(notification.seq).padStart(10, '0')}#${n}`,
  };
}

export function idempotencyKey(scope: string) {
  return { pk: `IDEM#${scope}` };
}

/** An item without its key attributes: the record as the domain knows it. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const k of keyAttributes) delete copy[k];
  return copy as T;
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
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'gsi6pk',
  'gsi6sk',
  'gsi7pk',
  'gsi7sk',
  'gsi8pk',
  'gsi8sk',
  'gsi9pk',
  'gsi9sk',
  'findText',
  'waitsAfter',
  'headHash',
] as const;

/**
 * The daily digests of head hashes (shared/domain/audit-digest.ts): one partition, one item per
 * UTC day, so listing them is a Query in day order and the newest is the first item read backwards.
 */
export const digestPk = 'DIGEST';
export function digestKey(day: string) {
  return { pk: digestPk, sk: day };
}

/**
 * The bureau's audit stream (shared/domain/bureau.ts): its events in one partition, by seq, and a
 * head item that every write moves on a condition, so two writers never take the same seq.
 */
export const bureauPk = 'BUREAU';
const BUREAU_EVENT_PREFIX = 'EVENT#';
export const bureauEventSkPrefix = BUREAU_EVENT_PREFIX;
export const bureauHeadKey = { pk: bureauPk, sk: 'HEAD' } as const;
export function bureauEventKey(seq: number) {
  return { pk: bureauPk, sk: `${BUREAU_EVENT_PREFIX}${String(seq).padStart(10, '0')}` };
}
/** The seq of a bureau event item, from its sort key. */
export function seqOfBureauEventSk(sk: string): number | undefined {
  if (!sk.startsWith(BUREAU_EVENT_PREFIX)) return undefined;
  const seq = Number(sk.slice(BUREAU_EVENT_PREFIX.length));
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * The bureau's records (a calendar year, …): one partition per kind, one item per record, so the
 * current records of a kind are one Query, and a function may be granted exactly that partition.
 */
export const bureauRecordPk = (kind: string) => `BUREAU#${kind}`;
export function bureauRecordKey(kind: string, id: string) {
  return { pk: bureauRecordPk(kind), sk: id };
}

/**
 * The document number counters (docs/documents.md#document-numbers): one item per series and
 * year, `value` the last number taken; an act moves it by one on the condition of the value it read.
 */
export const counterPk = 'COUNTER';
export function counterKey(id: string) {
  return { pk: counterPk, sk: id };
}

/** A document number's lookup item: {applicationId, documentId}; written once, never over. */
export const docNoPk = (number: string) => `DOCNO#${number}`;
export function docNoKey(number: string) {
  return { pk: docNoPk(number), sk: 'DOCNO' };
}

/**
 * The public write budget (shared/http/public-limit.ts): one item per source address and time
 * window, `LIMIT#<keyed hash of both>`, so the address itself is never stored and each window's
 * count is a partition of its own; it expires by TTL (`removeAfter`).
 */
export const limitPkPrefix = 'LIMIT#';
export function limitKey(hash: string) {
  return { pk: `${limitPkPrefix}${hash}`, sk: 'LIMIT' };
}

/**
 * A user's inbox (shared/domain/inbox.ts): one partition per user (`INBOX#<sub>`), an entry per
 * notification (`N#<at>#<applicationId>#<seq>#<action>`, newest first when read backwards) and the
 * counter of unread entries (`COUNT`), written in the same transaction as each entry.
 */
export const inboxPk = (userId: string) => `INBOX#${userId}`;
export const inboxEntrySkPrefix = 'N#';
export function inboxEntryKey(userId: string, sortKey: string) {
  return { pk: inboxPk(userId), sk: `${inboxEntrySkPrefix}${sortKey}` };
}
export function inboxCounterKey(userId: string) {
  return { pk: inboxPk(userId), sk: 'COUNT' };
}

/**
 * The staff directory of a deployment without Cognito (shared/store/staff-directory.ts): one
 * partition, `STAFF`, holding an item per account (`ACCOUNT#<accountId>`, the id its invitation
 * gave it), one per e-mail address (`EMAIL#<address>`, so that no address has two accounts) and one
 * per linked subject (`SUB#<sub>`, the provider's subject the account signs in as). Each lookup
 * item names its account's `accountId`.
 */
export const staffPk = 'STAFF';
export const staffAccountSkPrefix = 'ACCOUNT#';
export function staffAccountKey(accountId: string) {
  return { pk: staffPk, sk: `${staffAccountSkPrefix}${accountId}` };
}
export function staffEmailKey(email: string) {
  return { pk: staffPk, sk: `EMAIL#${email}` };
}
export function staffSubKey(sub: string) {
  return { pk: staffPk, sk: `SUB#${sub}` };
}
