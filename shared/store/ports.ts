import type { BureauMark, Digest, DigestEntry } from '../domain/audit-digest.ts';
import type { BureauEvent, BureauHead, StoredBureauEvent } from '../domain/bureau.ts';
import type { WorkCalendar } from '../domain/calendar.ts';
import type { PublicComment } from '../domain/comments.ts';
import type { WorkflowConfig } from '../domain/config.ts';
import type { IssuedDocument } from '../domain/decide.ts';
import type { DocumentKind } from '../domain/documents.ts';
import type { HearingRequest } from '../domain/hearings.ts';
import type { InboxEntry } from '../domain/inbox.ts';
import type { NoticeSearch } from '../domain/notice-search.ts';
import type { Notification } from '../domain/notifications.ts';
import type { IndexedDates } from '../domain/recompute.ts';
import type { Application, AuditEvent, Category, Notice } from '../domain/types.ts';
import type { FileType, ScanReason, ScanStatus, UploadRecord } from '../domain/uploads.ts';
import type { Plan } from './audit-plan.ts';
import type { IndexName } from './keys.ts';

/**
 * The ports: everything the handlers, the sweeper and the scripts may ask of storage, and nothing
 * else. The DynamoDB adapters implement them (application-store.ts, audit-store.ts,
 * digest-store.ts, stats-store.ts; made once per cold start in shared/runtime/clients.ts). This file
 * imports no AWS code, so a reader, or a test fake, needs nothing more than what is here.
 *
 * Failures are the API's errors (shared/store/errors.ts): ServiceUnavailableError (503) when
 * DynamoDB throttles, fails or cannot be reached, ConcurrentChangeError (409) when a write's
 * condition lost to another writer, IdempotencyRaceError when another request with the same
 * Idempotency-Key won.
 */

/** Where a page of a DynamoDB read ends; handed back unchanged to read the next page. */
export type Key = Record<string, unknown>;

/** One page of items; `lastKey` is absent when there is nothing more. */
export interface Page<T> {
  items: T[];
  lastKey?: Key;
}

// ---------------------------------------------------------------------------------------------
// Applications, their events, notices and the outbox (the HTTP routes, the sweeper, the scripts)

export interface ApplicationStore {
  /** The application and its trail's head hash (strongly consistent); undefined when there is none. */
  get(id: string): Promise<Loaded | undefined>;

  /** The record kept for an Idempotency-Key's replays, unless it has expired by `now`. */
  getIdempotency(scope: string, now: Date): Promise<IdempotencyRecord | undefined>;

  /** The application and the idempotency record in one round trip (a transactional read). */
  getWithIdempotency(
    id: string,
    scope: string,
    now: Date,
  ): Promise<{ loaded?: Loaded; record?: IdempotencyRecord }>;

  /**
   * One state change, all or nothing: the application (on the condition that it is still at the
   * version before the event's seq, or new for seq 1), its event, any public notice, its outbox
   * notifications and the idempotency record. ConcurrentChangeError when another change won;
   * IdempotencyRaceError when another request with the same key did.
   */
  commit(change: Commit): Promise<void>;

  /**
   * Keeps a response for its Idempotency-Key's replays when the change itself lives outside the
   * table (a Cognito account): the record alone, conditioned as in `commit`. False when another
   * request with the same key wrote one first.
   */
  remember(idempotency: NonNullable<Commit['idempotency']>): Promise<boolean>;

  /** A document number counter's value (shared/domain/numbers.ts counterId), 0 when none was taken; strongly consistent. */
  counter(id: string): Promise<number>;

  /** What an issued document number names (its lookup item), or undefined. */
  documentNumbered(number: string): Promise<DocumentNumberRecord | undefined>;

  /** One page of applications from an index partition (owner, state or all), newest first. */
  list(query: ListQuery): Promise<Page<Application>>;

  /** Several partitions of one index merged newest first (an applicant's own and their organisation's). */
  listMerged(query: MergedListQuery): Promise<MergedPage>;

  /** A work queue: several queue partitions merged into one due-date order (queue=mine). */
  waiting(query: QueueQuery): Promise<QueuePage>;

  /**
   * One page of the applications a search finds among all (the find index), newest first. A page
   * reads at most a bounded number of index items: it may hold fewer than `limit` (even none) and
   * still have a `lastKey`.
   */
  find(query: FindQuery): Promise<Page<Application>>;

  /** Applications with something due on or before `today` (Beijing): the sweeper's work list. */
  dueForSweep(today: string, limit: number, startKey?: Key): Promise<Page<Loaded>>;

  /**
   * One page of the applications in a state (the state index), each with the dates its item is
   * indexed by: what a calendar change may move (shared/domain/recompute.ts).
   */
  inState(state: string, limit: number, startKey?: Key): Promise<Page<Loaded & { indexed: IndexedDates }>>;

  /** One page of an application's audit trail, oldest first (strongly consistent). */
  events(id: string, limit: number, startKey?: Key): Promise<Page<AuditEvent>>;

  /**
   * The outbox between two instants (ISO, both inclusive), oldest first: for putting again on the
   * bus what the publisher gave up on (scripts/republish-outbox.ts).
   */
  outboxBetween(from: string, to: string, limit: number, startKey?: Key): Promise<Page<Notification>>;

  /**
   * One notification not tied to an event (the sweeper's calendar reminder) into the outbox,
   * unless one with the same key (its at, applicationId and seq) is there: false when it was.
   */
  remindOnce(notification: Notification): Promise<boolean>;

  /** The outbox, newest first (the local server's GET /local/outbox). */
  outbox(limit: number, startKey?: Key): Promise<Page<Notification>>;

  /** One page of public notices, newest first. */
  notices(limit: number, startKey?: Key): Promise<Page<Notice>>;

  /**
   * One page of the public notices a search asks for, newest first (GET /public/notices with
   * filters): a Query of the days' stretch of the notices partition, a bounded read per page.
   */
  searchNotices(search: NoticeSearch, limit: number, startKey?: Key): Promise<Page<Notice>>;

  /**
   * The notice of `kind` for an application published between two instants (ISO, both inclusive):
   * a Query of that stretch of the notices partition. After a calendar change, to move its `endsOn`.
   */
  noticeOf(
    applicationId: string,
    kind: Notice['kind'],
    from: string,
    to: string,
  ): Promise<Notice | undefined>;

  /** One page of an application's public comments, oldest first (strongly consistent). */
  comments(applicationId: string, limit: number, startKey?: Key): Promise<Page<PublicComment>>;

  /** One page of an application's hearing requests, oldest first (strongly consistent). */
  hearingRequests(applicationId: string, limit: number, startKey?: Key): Promise<Page<HearingRequest>>;

  /** One public comment of an application, or undefined (strongly consistent). */
  comment(applicationId: string, commentId: string): Promise<PublicComment | undefined>;

  /**
   * The notice a noticeId names (shared/store/keys.ts noticeIdOf): one GetItem; undefined when none.
   * `consistent`: a strongly consistent read (a notice about to be written again, with its count).
   */
  noticeById(noticeId: string, options?: { consistent?: boolean }): Promise<Notice | undefined>;
}

export interface Loaded {
  app: Application;
  /** Hash of the newest event: the next event's prevHash. */
  headHash: string;
}

/** A response kept for replays of the same Idempotency-Key. */
export interface IdempotencyRecord {
  requestHash: string;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  createdAt: string;
}

export interface Commit {
  app: Application;
  /** The calendar the index dates are counted on (the one at run time); the seed when absent. */
  calendar?: WorkCalendar;
  /** The configuration the application follows; the seed when absent. */
  config?: WorkflowConfig;
  event: AuditEvent;
  notice?: Notice;
  /** Notices published earlier, written again (after a calendar change: their `endsOn` moved). */
  notices?: Notice[];
  /** Notifications to publish: written to the outbox in the same transaction (a few at most). */
  outbox?: Notification[];
  idempotency?: { scope: string; record: IdempotencyRecord; ttlSeconds: number };
  /**
   * Upload records the act found stored (shared/http/material-check.ts), each as it was read: marked
   * in the same transaction, each on the condition that it is unchanged since (UploadChangedError
   * otherwise: the act runs again); a `storedAt` set before is kept.
   */
  uploadsStored?: { record: UploadRecord; stored: UploadStored }[];
  /**
   * The written document the step issues: its counter moved from the value read (conditioned on
   * it: CounterConflictError when another act took the number), its number's lookup item, and
   * its outbox item, in the same transaction.
   */
  issued?: IssuedDocument;
  /** A public comment the step records (`receive_comment`): put beside the application, never over another. */
  comment?: PublicComment;
  /** The comment with the case officer's response (`respond_to_comment`): put over it while it has none. */
  commentAnswered?: PublicComment;
  /** An interested party's hearing request (`request_hearing` or `receive_hearing_request` by the public): put beside the application, never over another. */
  hearingRequest?: HearingRequest;
}

/** A document number's lookup item (`DOCNO#<number>`): which application's which document. */
export interface DocumentNumberRecord {
  number: string;
  applicationId: string;
  documentId: string;
  kind: DocumentKind;
}

export interface ListQuery {
  index: IndexName;
  partition: string;
  limit: number;
  startKey?: Key;
  /** Equality filters on top-level attributes, applied after the index read. */
  filters?: Record<string, string>;
  /** Search terms, folded (shared/domain/find.ts findTerms): each must be in the item's `findText`. */
  find?: readonly string[];
}

/**
 * A search of every application (GET /applications?q= for officials and the auditor): the find
 * index newest first, its small items filtered by the terms (and `filters`), what matches then
 * read from the table by key. A deleted draft is never found.
 */
export interface FindQuery {
  /** Folded terms (shared/domain/find.ts findTerms), at least one; each must be in `findText`. */
  terms: readonly string[];
  limit: number;
  startKey?: Key;
  /** Equality filters on `state` and `category` (the attributes the find index holds). */
  filters?: Record<string, string>;
}

/**
 * Where one stream of a merged queue read stands: not started (null), after a key, or done.
 * A cursor of `waiting` holds one per partition.
 */
export type StreamPosition = Key | null | 'done';

export interface QueueQuery {
  /** The queue partitions to merge (shared/store/keys.ts roleQueuePk / userQueuePk). */
  partitions: readonly string[];
  limit: number;
  /** One per partition; absent: the first page. */
  positions?: readonly StreamPosition[];
  /** Today (Beijing): items with `waitsAfter` on or after it are not actionable yet, and skipped. */
  today: string;
  /** Equality filters on top-level attributes, applied after the index read. */
  filters?: Record<string, string>;
  /** Search terms, folded: each must be in the item's `findText`. */
  find?: readonly string[];
}

export interface QueuePage {
  items: Application[];
  /** Where each stream stands after this page; absent when every stream is done. */
  positions?: StreamPosition[];
}

export interface MergedListQuery {
  index: IndexName;
  /** The partitions to merge (e.g. shared/store/keys.ts ownerPk and orgPk). */
  partitions: readonly string[];
  limit: number;
  /** One per partition; absent: the first page. */
  positions?: readonly StreamPosition[];
  /** Equality filters on top-level attributes, applied after the index read. */
  filters?: Record<string, string>;
  /** Search terms, folded: each must be in the item's `findText`. */
  find?: readonly string[];
}

export type MergedPage = QueuePage;

// ---------------------------------------------------------------------------------------------
// The auditor's reads (GET /audit/events, /audit/applications/{id}/verify, /audit/access-log)

export interface AuditStore {
  /**
   * One page of events for `plan` (shared/store/audit-plan.ts), from `opts.start`. Reads a bounded
   * amount per page; the page's `next` resumes just after its last event, so a page cut short by
   * `limit`, `fits` or the read bound loses nothing.
   */
  page(plan: Plan, opts: PageOptions): Promise<EventsPage>;

  /**
   * The application as stored and its whole trail, as of one moment (strongly consistent): when a
   * change is committed between the two reads, the newer events are read too.
   */
  snapshot(id: string): Promise<{ stored?: StoredApplication; trail: TrailEntry[] }>;

  /** One page of the access log (reads, exports and downloads of personal data), newest first. */
  accessLog(limit: number, startKey?: Key): Promise<Page<AccessRecord>>;

  /** Records a request for personal data before any is given; a failed write must refuse the request. */
  recordAccess(record: AccessRecord): Promise<void>;
}

/** Where a page starts: the day partition (day walks only) and the last key read in it. */
export interface Position {
  day?: string;
  key?: Key;
}

/** What reads cost: calls made, items DynamoDB read (before filters), read capacity units. */
export interface ReadCost {
  calls: number;
  itemsRead: number;
  readUnits: number;
}

export interface PageOptions {
  limit: number;
  start?: Position;
  /** Asked for each event in turn; false ends the page before that event (a response size budget). */
  fits?: (event: AuditEvent) => boolean;
}

export interface EventsPage {
  events: AuditEvent[];
  /** Absent when there is nothing more. */
  next?: Position;
  cost: ReadCost;
}

/** One event as stored: where it sits in the trail (its sort key) and what it says. */
export interface TrailEntry {
  position: number;
  event: AuditEvent;
}

export interface StoredApplication {
  app: Application;
  headHash: string;
}

/**
 * One entry of the audit access log (never in a trail): an export of personal data, or an
 * official's or auditor's download of a file of an application.
 */
export type AccessRecord = PersonalDataExportRecord | DocumentDownloadRecord | PersonalDataReadRecord;

/**
 * An official's or auditor's read that returned applicants' contact names or phones (an
 * application, a page of a list, a page of a trail): one entry per request, naming every
 * application whose data it returned. Written before the answer is given; a failed entry refuses it.
 */
export interface PersonalDataReadRecord {
  kind: 'PERSONAL_DATA_READ';
  at: string;
  requestId: string;
  actor: { id: string; name: string; roles: string[] };
  /** The route read, e.g. `GET /applications/{id}/events`. */
  route: string;
  /** The applications whose applicant's data the answer held, in the order returned. */
  applicationIds: string[];
  /** The query it was asked with (filters, search, cursor given or not). */
  filter?: Record<string, string>;
  /**
   * The same applications as people name them (case number where one is given, project name), in
   * the same order; absent from entries written before it was recorded.
   */
  applications?: AccessedApplication[];
}

/** An application an access-log entry names, as people know it. */
export interface AccessedApplication {
  id: string;
  caseNumber?: string;
  projectName: string;
}

/** A request that exported personal data. */
export interface PersonalDataExportRecord {
  kind: 'PERSONAL_DATA_EXPORT';
  at: string;
  requestId: string;
  actor: { id: string; name: string; role: 'auditor' };
  filter: Record<string, string>;
  format: string;
  order: string;
  /** Whether this was a follow-on page (a cursor was given). */
  continued: boolean;
}

/**
 * An official's or auditor's download of a file of an application: a material's version (`code`,
 * `uploadId`) or an issued document (`documentId`). Recorded before the download link is given.
 */
export interface DocumentDownloadRecord {
  kind: 'DOCUMENT_DOWNLOAD';
  at: string;
  requestId: string;
  /** The caller and the roles they held (officials may hold several). */
  actor: { id: string; name: string; roles: string[] };
  applicationId: string;
  code?: string;
  uploadId?: string;
  documentId?: string;
  fileName?: string;
}

// ---------------------------------------------------------------------------------------------
// The daily audit digests (written by the sweeper, read by GET /audit/digests and verify)

export interface DigestStore {
  /** The newest digest written, if any (strongly consistent: the chain goes on from it). */
  latest(): Promise<Digest | undefined>;

  /**
   * The UTC day the oldest application was created, or of the bureau stream's first event if that
   * is older: where digests begin; undefined with neither.
   */
  firstActivityDay(): Promise<string | undefined>;

  /** Every event of a UTC day (applicationId, seq, hash), and the Query calls it took. */
  eventsOfDay(day: string): Promise<{ events: DigestEntry[]; calls: number }>;

  /** Writes a digest unless its day has one; false when another sweep wrote it first. */
  put(digest: Digest): Promise<boolean>;

  /** One page of digests, newest first, with the digest just before the page to check the link. */
  page(query: DigestQuery): Promise<DigestPage>;

  /** What every digest recorded for one application. */
  mentionsOf(applicationId: string): Promise<DigestMention[]>;

  /**
   * The bureau stream read back from its newest event (seq, hash, at; newest first) down to the
   * newest one of `day` or earlier, included; the whole stream when none is that old.
   */
  bureauTail(day: string): Promise<{ events: BureauMark[]; calls: number }>;

  /** The newest digest that records the bureau stream's head, if any. */
  latestWithBureau(): Promise<Digest | undefined>;
}

export interface DigestQuery {
  /** UTC days, YYYY-MM-DD, both inclusive; either may be absent. */
  from?: string;
  to?: string;
  limit: number;
  startKey?: Key;
}

export interface DigestPage {
  /** Newest first. */
  digests: Digest[];
  /** The digest just before the oldest one of the page: null when that one is the first of all. */
  older: Digest | null;
  /** Where the next page starts; absent when there is nothing more. */
  lastKey?: Key;
}

/** A digest that names one application: the day and what it recorded for it. */
export type DigestMention = DigestEntry & { day: string };

// ---------------------------------------------------------------------------------------------
// GET /stats

export interface StatsStore {
  /** Every event of `action` with lo <= at < hi (ISO instants in UTC), oldest first; adds to `cost`. */
  eventsOf(action: string, lo: string, hi: string, cost: ReadCost): Promise<AuditEvent[]>;

  /** The current category of each application (absent: not found); adds to `cost`. */
  categoriesOf(ids: Iterable<string>, cost: ReadCost): Promise<Map<string, Category>>;
}

// ---------------------------------------------------------------------------------------------
// The bureau's data and its audit stream (/admin/*, GET /audit/bureau/verify, the sweeper)

/** What the bureau keeps at run time; one partition each (shared/store/keys.ts bureauRecordKey). */
/** `invitation`: an invitation's event was written (one per account, by its id; docs/roles.md). */
export type BureauKind = 'calendar' | 'config' | 'user' | 'invitation';

/** One record of the bureau's data as stored: a calendar year, a configuration version, … */
export interface BureauRecord {
  kind: BureauKind;
  /** Unique within its kind, e.g. the year `2027`. */
  id: string;
  /** 1 when first written; each change adds 1 (the write is conditioned on the one before). */
  version: number;
  body: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string;
  /** Work the sweeper owes for this change (a calendar year: recompute the open applications). */
  pending?: boolean;
}

export interface BureauCommit {
  event: BureauEvent;
  /** The record the event changes, at its new version; absent when the change lives elsewhere (Cognito). */
  record?: BureauRecord;
}

export interface BureauStore {
  /** Where the stream ends (strongly consistent): the next event links to it. */
  head(): Promise<BureauHead>;

  /** Every current record of a kind (strongly consistent), in id order: one Query. */
  current(kind: BureauKind): Promise<BureauRecord[]>;

  /**
   * The event, the head moved to it and the record, all or nothing. ConcurrentChangeError with
   * `staleVersion` when the record is no longer at `version - 1`; without it when another event
   * took the seq first (read the head again and retry).
   */
  commit(change: BureauCommit): Promise<void>;

  /** One page of the stream's events, oldest first (strongly consistent). */
  events(limit: number, startKey?: Key): Promise<Page<BureauEvent>>;

  /** The whole stream as stored and the head item (for verification). */
  trail(): Promise<{ head: BureauHead; trail: StoredBureauEvent[] }>;

  /** Clears a record's `pending` mark, unless it has changed since `version` (false then). */
  settle(record: BureauRecord): Promise<boolean>;

  /** One record (a GetItem, strongly consistent); undefined when there is none. */
  record(kind: BureauKind, id: string): Promise<BureauRecord | undefined>;
}

// ---------------------------------------------------------------------------------------------
// The documents bucket (docs/documents.md): materials' bytes and the issued PDFs. No file byte
// passes through a function except the PDFs the documents function renders: uploads and
// downloads are presigned URLs. S3 in AWS; locally an S3-compatible server behind a verifying
// layer (local/s3/), the same SDK calls.

/** What storage itself says about a stored object (HeadObject with ChecksumMode ENABLED). */
export interface StoredObject {
  sizeBytes: number;
  /** Lowercase hex, from storage's own x-amz-checksum-sha256; absent when it kept none. */
  sha256?: string;
  contentType?: string;
  versionId?: string;
  lastModified?: string;
}

export interface PresignedPut {
  url: string;
  method: 'PUT';
  /** Exactly these headers must be sent with the PUT: the signature covers them. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface ObjectStore {
  /**
   * A PUT of exactly these bytes: the signature pins the SHA-256 (x-amz-checksum-sha256), the
   * length and the content type, so storage refuses any other body.
   */
  presignPut(input: {
    key: string;
    /** Lowercase hex. */
    sha256: string;
    sizeBytes: number;
    contentType: string;
    expiresInSeconds: number;
  }): Promise<PresignedPut>;
  /** A GET valid for `expiresInSeconds` (≤ 300), answered with Content-Disposition naming `fileName` (UTF-8). */
  presignGet(input: {
    key: string;
    fileName: string;
    contentType?: string;
    versionId?: string;
    expiresInSeconds: number;
    /** Content-Disposition `inline` (the browser shows it, e.g. its PDF viewer); default `attachment`. */
    inline?: boolean;
  }): Promise<string>;
  /** The object as stored, or undefined when there is none. */
  head(key: string): Promise<StoredObject | undefined>;
  /** Its first `bytes` bytes (a Range GET), for recognising the type; undefined when there is no object. */
  readStart(key: string, bytes: number): Promise<Uint8Array | undefined>;
  /**
   * Store new bytes under a key that must not exist yet (If-None-Match: *), with their SHA-256 for
   * storage to check: 'exists' when the key was already written (a retry), never an overwrite.
   */
  putNew(input: {
    key: string;
    body: Uint8Array;
    contentType: string;
    sha256: string;
  }): Promise<'created' | 'exists'>;
  /** The whole object (small ones only: the issued PDFs), or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Upload records (docs/documents.md#materials): one item per announced upload beside its
// application (shared/store/keys.ts uploadKey). POST /uploads writes them, the act that names one
// marks it stored (in the act's own transaction: shared/store/upload-store.ts markStoredUpdate),
// the scan result sets its `scan`.

export interface UploadStore {
  /**
   * A new upload record, on the condition that its uploadId is new, with the idempotency record of
   * the request that announced it in the same transaction (IdempotencyRaceError when another
   * request with the same key won).
   */
  create(record: UploadRecord, idempotency?: Commit['idempotency']): Promise<void>;
  /** One record (strongly consistent), or undefined. */
  get(applicationId: string, uploadId: string): Promise<UploadRecord | undefined>;
  /** Every upload record of an application, oldest first (strongly consistent). */
  list(applicationId: string): Promise<UploadRecord[]>;
  /**
   * Marks a record stored on its own (outside an act; an act marks it inside its own transaction).
   * The first `storedAt` is kept. False when there is no such record.
   */
  markStored(applicationId: string, uploadId: string, stored: UploadStored): Promise<boolean>;
  /**
   * The malware scan's result for a record, with the reason when it is SKIPPED (none otherwise);
   * false when there is no such record.
   */
  setScan(
    applicationId: string,
    uploadId: string,
    scan: ScanStatus,
    scannedAt: string,
    scanReason?: ScanReason,
  ): Promise<boolean>;
}

/** What a check of the stored bytes found. */
export interface UploadStored {
  storedAt: string;
  detectedType: FileType;
}

// ---------------------------------------------------------------------------------------------
// The inbox (the notifier writes it, GET /inbox and POST /inbox/read read and mark it)

/** One page of a user's inbox, newest first, each entry with whether it is read. */
export interface InboxPage {
  items: (InboxEntry & { read: boolean })[];
  lastKey?: Key;
  unreadCount: number;
}

export interface InboxStore {
  /**
   * Adds a notification's entry to a user's inbox with its counter, in one transaction; false when
   * the entry is there already (a retried delivery adds nothing and counts nothing twice).
   */
  deliver(userId: string, entry: Omit<InboxEntry, 'deliveredAt'>, now: Date): Promise<boolean>;
  /** One page of the inbox, newest first (strongly consistent), and the unread count. */
  page(userId: string, limit: number, startKey?: Key): Promise<InboxPage>;
  /**
   * Marks read the entries of these sort keys that are unread (others are left alone), or with
   * 'all' every entry delivered so far; the counter in the same transaction. How many were marked
   * and the unread count after.
   */
  markRead(
    userId: string,
    which: string[] | 'all',
    now: Date,
  ): Promise<{ marked: number; unreadCount: number }>;
}
