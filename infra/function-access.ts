import type { FunctionName } from '../shared/http/routes.ts';
import {
  appPk,
  auditLogPk,
  bureauPk,
  bureauRecordPk,
  counterPk,
  digestPk,
  inboxPk,
  indexes,
  limitPkPrefix,
  staffPk,
} from '../shared/store/keys.ts';
import type { BucketBinding, TableBinding, TableRead } from './eia-function.ts';

/** What one function does with the two tables; a function without an entry touches neither. */
export interface FunctionAccess {
  readonly main?: TableBinding;
  readonly idempotency?: TableBinding;
}

const listIndexes = [indexes.byOwner, indexes.byState, indexes.all, indexes.queue].map(
  (index) => index.indexName,
);
const auditIndexes = [indexes.byActor, indexes.byAction, indexes.byDay].map((index) => index.indexName);
/** The calendar at run time (shared/runtime/calendar.ts): one Query on its partition, nothing else. */
const calendarRead = { keys: [bureauRecordPk('calendar')], reads: ['Query'] } as const;
/**
 * And the configuration at run time (shared/runtime/workflow-config.ts): the versions' partition,
 * one Query, for the functions that count an application's dates or check its materials.
 */
const calendarAndConfigRead = {
  keys: [bureauRecordPk('calendar'), bureauRecordPk('config')],
  reads: ['Query'],
} as const;

/**
 * The public write budget (shared/http/public-limit.ts): every public write function first moves
 * its address's counter, one conditional UpdateItem on a `LIMIT#…` partition, and nothing else.
 * The stateless stack gives a function with it the stage's limit (PUBLIC_WRITE_LIMIT, …).
 */
export const publicWriteCounters = { keyPrefixes: [limitPkPrefix] } as const;

/** The users' inboxes (`INBOX#<sub>`, shared/store/inbox-store.ts) and nothing else of the table. */
const inboxPartitions = (reads: readonly TableRead[]) => ({ keyPrefixes: [inboxPk('')], reads });

/**
 * The access log (shared/http/access-log.ts, shared/store/audit-store.ts recordAccess): a read of
 * applicants' personal data by an official or the auditor is first one PutItem in a transaction of
 * one, on the AUDITLOG partition and nowhere else: the function writes nothing of any case.
 */
const accessLogWrite = { keyPrefixes: [auditLogPk], reads: [] } as const;

/**
 * Read off the handlers and `shared/store/application-store.ts`: `get` is a GetItem,
 * `getWithIdempotency` a TransactGetItems (GetItem on both tables), `commit` a TransactWriteItems of
 * conditional Puts (PutItem), `list` a Query on an index, `events` and `notices` a Query on the table.
 * A new function (a route added to routes.ts) fails synth until it is listed here.
 */
export const functionAccess: Record<FunctionName, FunctionAccess> = {
  // priorResponse reads the idempotency record; commit writes the draft, its event and the record.
  // And the current configuration version, which the draft follows.
  'create-application': {
    main: { access: 'write', partitionReads: { keys: [bureauRecordPk('config')], reads: ['Query'] } },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // Dates are counted on the calendar and configuration at run time, read by every function that counts them.
  // An official's or the auditor's read is first entered in the access log.
  'get-application': {
    main: {
      access: 'write',
      reads: ['GetItem'],
      partitionReads: calendarAndConfigRead,
      prefixed: accessLogWrite,
    },
  },
  // Every list is an index query: by owner, by state, or all; a work queue (queue=mine) by queue.
  // A search (q=) of every application reads the find index, then what it found by key (BatchGetItem).
  // A page holding others' applications is first entered in the access log (one entry per page).
  'list-applications': {
    main: {
      access: 'write',
      prefixed: accessLogWrite,
      reads: ['BatchGetItem'],
      queryIndexes: [...listIndexes, indexes.find.indexName],
      partitionReads: calendarAndConfigRead,
    },
  },
  // The application and a page of its trail; an official's or the auditor's read is first entered
  // in the access log.
  'list-events': { main: { access: 'write', reads: ['GetItem', 'Query'], prefixed: accessLogWrite } },
  // load (GetItem, or TransactGetItems with the idempotency record), the configuration and calendar
  // (who may upload what now), the application's upload records counted (a Query of its own
  // partition: at most 200 each), then the upload record and the idempotency record in one transaction.
  'create-upload': {
    main: { access: 'write', reads: ['GetItem', 'Query'], partitionReads: calendarAndConfigRead },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // The application (GetItem) and its upload records (a Query in its own partition).
  'list-materials': { main: { access: 'read', reads: ['GetItem', 'Query'] } },
  // The application and one upload record (GetItems); an official's or the auditor's download is
  // first recorded as an AUDITLOG item, in a one-item transaction.
  'get-material': { main: { access: 'write', reads: ['GetItem'], prefixed: accessLogWrite } },
  // The notice, its application and the public version's upload record: three GetItems.
  // The notice and its application: two GetItems; and the calendar, for the provisional mark.
  'public-notice': { main: { access: 'read', reads: ['GetItem'], partitionReads: calendarRead } },
  'public-version': { main: { access: 'read', reads: ['GetItem'] } },
  // The address's counter (UpdateItem on LIMIT#…); the notice and its application (GetItems), then
  // one transaction: the application, its receive_comment event, the comment and the notice with
  // its comment count (Puts). With an Idempotency-Key: its record read first (GetItem), with the
  // application (TransactGetItems), written in the same transaction, and read again after losing
  // a race for the key.
  'public-comment': {
    main: { access: 'write', reads: ['GetItem'], counters: publicWriteCounters },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // The application (GetItem, load) and its comments (a Query in its own partition); a read that
  // returns commenters' names and contacts is first entered in the access log.
  'list-comments': { main: { access: 'write', reads: ['GetItem', 'Query'], prefixed: accessLogWrite } },
  // The address's counter (UpdateItem on LIMIT#…); the notice and its application (GetItems), the
  // calendar and configuration (the hearing's dates, the queue's due date), then one transaction:
  // the application, its request_hearing or receive_hearing_request event, its notifications and
  // the hearing request (conditional Puts); its Idempotency-Key's record as for a comment.
  'public-hearing-request': {
    main: {
      access: 'write',
      reads: ['GetItem'],
      partitionReads: calendarAndConfigRead,
      counters: publicWriteCounters,
    },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // The application (GetItem, load) and its hearing requests (a Query in its own partition); a read
  // that returns interested parties' names and contacts is first entered in the access log.
  'list-hearing-requests': {
    main: { access: 'write', reads: ['GetItem', 'Query'], prefixed: accessLogWrite },
  },
  // The application and the comment (GetItems), then one transaction: the application, its
  // respond_to_comment event and the comment with its response (a Put, on the condition it had none).
  'respond-comment': { main: { access: 'write', reads: ['GetItem'] } },
  'public-notices': { main: { access: 'read', reads: ['Query'] } },
  // The application (GetItem, load); its documents are listed in it.
  'list-documents': { main: { access: 'read', reads: ['GetItem'] } },
  // The application (GetItem); an official's or the auditor's download is first recorded as an
  // AUDITLOG item, in a one-item transaction.
  'get-document': { main: { access: 'write', reads: ['GetItem'], prefixed: accessLogWrite } },
  // The number's DOCNO item and the application (GetItems), then the whole trail (a Query in the
  // application's partition) to verify its chain.
  'public-document': { main: { access: 'read', reads: ['GetItem', 'Query'] } },
  // The number's DOCNO item and the application: two GetItems.
  'public-document-file': { main: { access: 'read', reads: ['GetItem'] } },
  // load (GetItem or TransactGetItems), commit, and the record again after losing an idempotency race.
  // The upload records beside the application (one Query of its partition) for the file checks of
  // submit, resubmit, submit_revision, accept and the acts with attachments; commit marks them
  // stored with conditional Puts.
  'take-action': {
    main: { access: 'write', reads: ['GetItem', 'Query'], partitionReads: calendarAndConfigRead },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // PATCH carries no Idempotency-Key: load and commit on the main table only.
  'update-application': {
    main: { access: 'write', reads: ['GetItem'], partitionReads: calendarAndConfigRead },
  },
  // DELETE of a draft: load (GetItem, or TransactGetItems with the idempotency record), the
  // configuration and calendar, then commit (the item without its index keys, the delete_draft
  // event and the idempotency record, in one transaction).
  'delete-application': {
    main: { access: 'write', reads: ['GetItem'], partitionReads: calendarAndConfigRead },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  // The static document and the current configuration version: one Query on its partition.
  workflow: {
    main: { access: 'read', partitionReads: { keys: [bureauRecordPk('config')], reads: ['Query'] } },
  },
  openapi: {},
  // Events by application (the table), actor, action or day (the audit indexes); a request for
  // personal data is first recorded as an AUDITLOG item, in a one-item transaction.
  'audit-events': {
    main: { access: 'write', reads: ['Query'], queryIndexes: auditIndexes, prefixed: accessLogWrite },
  },
  // The application item and its whole trail; the digests naming it (the DIGEST partition).
  'audit-verify': { main: { access: 'read', reads: ['GetItem', 'Query'] } },
  // The daily digests: a Query on the DIGEST partition.
  'audit-digests': { main: { access: 'read', reads: ['Query'] } },
  // The access log of personal-data requests: one partition, newest first.
  'audit-access-log': { main: { access: 'read', reads: ['Query'] } },
  // The period's submit, accept, approve and reject events on the action index; each application's
  // category, 100 applications to a BatchGetItem.
  // The bureau stream's events: a Query in the BUREAU partition only; and the access log entry of
  // an auditor who asks for the invitees' e-mail addresses.
  'audit-bureau-events': {
    main: {
      access: 'write',
      partitionReads: { keys: [bureauPk], reads: ['Query'] },
      prefixed: accessLogWrite,
    },
  },
  // The bureau stream's head and events: a GetItem and a Query in the BUREAU partition; and the
  // newest digest that recorded the stream's head: a Query of the DIGEST partition.
  'audit-bureau-verify': {
    main: { access: 'read', partitionReads: { keys: [bureauPk, digestPk], reads: ['GetItem', 'Query'] } },
  },
  // The stored calendar years: one Query on their partition.
  'admin-calendar': { main: { access: 'read', partitionReads: calendarRead } },
  // The stored years, the bureau stream's head; the year, the head and its event in one transaction.
  'admin-calendar-year': {
    main: {
      access: 'write',
      partitionReads: { keys: [bureauPk, bureauRecordPk('calendar')], reads: ['GetItem', 'Query'] },
    },
  },
  stats: { main: { access: 'read', reads: ['BatchGetItem'], queryIndexes: [indexes.byAction.indexName] } },
  // The caller's own inbox partition: a page of entries (Query) and its counter (GetItem).
  inbox: { main: { access: 'read', prefixed: inboxPartitions(['GetItem', 'Query']) } },
  // The counter and the entries named (GetItems), then the entries and the counter in one transaction.
  'inbox-read': { main: { access: 'write', prefixed: inboxPartitions(['GetItem']) } },
  // The accounts are Cognito's (infra/user-directory.ts staffFunctions). Listing reads no table:
  // bound without a grant for the cursors' secret. A change is an event of the bureau stream: its
  // head (GetItem), then the event and the head in one transaction.
  // The stored configuration versions: one Query on their partition.
  'admin-config': {
    main: { access: 'read', partitionReads: { keys: [bureauRecordPk('config')], reads: ['Query'] } },
  },
  // The versions, the bureau stream's head; the new version, the head and its event in one transaction.
  'admin-update-config': {
    main: {
      access: 'write',
      partitionReads: { keys: [bureauPk, bureauRecordPk('config')], reads: ['GetItem', 'Query'] },
    },
  },
  'admin-users': { main: { access: 'read' } },
  // And the invitation's response, kept for replays of its Idempotency-Key (read first).
  'admin-invite-user': {
    main: { access: 'write', reads: ['GetItem'] },
    idempotency: { access: 'write', reads: ['GetItem'] },
  },
  'admin-update-user': { main: { access: 'write', reads: ['GetItem'] } },
};

/**
 * The sweeper: its index of what is due, and one transaction per step it owes; for the daily
 * digests, the newest digest (a Query on the DIGEST partition), the oldest application (gsi3-all,
 * where the first digest starts), a day's events (gsi6-day), the bureau stream read back from its
 * newest event (a Query on the BUREAU partition), and one transaction per digest.
 */
export const sweeperAccess: FunctionAccess = {
  main: {
    access: 'write',
    reads: ['Query'],
    queryIndexes: [
      indexes.sweep.indexName,
      indexes.all.indexName,
      indexes.byDay.indexName,
      // Once a day: open applications by state, to count provisional deadlines (no Scan).
      indexes.byState.indexName,
    ],
    // Deemed acceptance issues a numbered acceptance notice: its counter is read first (GetItem).
    partitionReads: { keys: [counterPk], reads: ['GetItem'] },
  },
};

export function accessOf(fn: string): FunctionAccess {
  const access = (functionAccess as Record<string, FunctionAccess | undefined>)[fn];
  if (!access) {
    throw new Error(`infra/function-access.ts: declare which table actions function ${fn} uses`);
  }
  return access;
}

/**
 * What each function does with the documents bucket (infra/documents-bucket.ts), by key prefix;
 * a function without an entry gets neither a grant nor DOCUMENTS_BUCKET. Read off the handlers and
 * shared/store/object-store.ts: presignPut is a PutObject, presignGet, head and readStart are
 * GetObjects (HeadObject needs s3:GetObject), putNew a PutObject, get a GetObject.
 */
export const bucketAccess: Readonly<Record<string, BucketBinding>> = {
  // The presigned PUT of a new upload's bytes.
  'create-upload': { put: ['materials'] },
  // 303 to a presigned GET of one version, or of the public version.
  'get-material': { get: ['materials'] },
  'public-version': { get: ['materials'] },
  // Submission checks: HeadObject (size, S3's SHA-256) and the first bytes (the type).
  'take-action': { get: ['materials'] },
  // 303 to a presigned GET of an issued PDF (the public one only for public kinds).
  'get-document': { get: ['documents'] },
  'public-document-file': { get: ['documents'] },
  // Renders and stores each PDF once (If-None-Match), and reads one back on a retry.
  documents: { put: ['documents'], get: ['documents'] },
  // Only the record's scan status: the event names the object, nothing is read from S3. The
  // bucket's name checks that the event is about this bucket.
  'scan-result': {},
};

/**
 * The scan result (functions/scan-result, shared/store/upload-store.ts setScan): the upload record
 * (GetItem), and the record again with its scan status, a conditional Put in a transaction of one.
 */
export const scanResultAccess: FunctionAccess = {
  main: { access: 'write', reads: ['GetItem'] },
};

/**
 * The notifier (functions/notifier): an application's hearing requests, one Query of its own
 * partition, for the e-mail contacts of the interested parties it tells of a hearing; and each
 * named user's inbox: its counter (GetItem), then the entry and the counter in one transaction.
 */
export const notifierAccess: FunctionAccess = {
  main: { access: 'write', reads: ['Query'], prefixed: inboxPartitions(['GetItem']) },
};

/**
 * And with notifyChannel sms (functions/notifier/handler.ts): the application each message is
 * about, for its case number and the applicant's contact phone — one GetItem, only on application
 * partitions (`APP#…`).
 */
export const notifierSmsAccess: FunctionAccess = {
  main: { access: 'read', prefixed: { keyPrefixes: [appPk('')], reads: ['GetItem'] } },
};

/**
 * Profile china (no Cognito, STAFF_DIRECTORY=table): the staff directory of the table
 * (shared/store/staff-directory.ts), for the staff routes and the notifier. Reads of the STAFF
 * partition only (an account, a lookup item: GetItem; the accounts: Query); the two staff functions
 * that change accounts and the Lambda authorizer (which links an account to its subject) write
 * them in transactions, confined to STAFF as well.
 */
const staffPartition = { keyPrefixes: [staffPk], reads: ['GetItem', 'Query'] } as const;
export const staffDirectoryAccess: Readonly<Record<string, FunctionAccess>> = {
  'admin-users': { main: { access: 'read', prefixed: staffPartition } },
  'admin-invite-user': { main: { access: 'write', prefixed: staffPartition } },
  'admin-update-user': { main: { access: 'write', prefixed: staffPartition } },
  notifier: { main: { access: 'read', prefixed: staffPartition } },
  // The Lambda authorizer links a token's subject to its account at the first sign-in (a transaction).
  authorizer: { main: { access: 'write', prefixed: staffPartition } },
};

/**
 * The documents function (functions/documents): the application and its trail (GetItem, Query),
 * then the `issue_document` event with the application, in one transaction.
 */
export const documentsAccess: FunctionAccess = {
  main: { access: 'write', reads: ['GetItem', 'Query'] },
};

/**
 * The functions that read the cursor key from Secrets Manager at run time (shared/runtime/secrets.ts):
 * those whose handler signs or reads list cursors (shared/http/paging.ts, audit-query.ts) or counts
 * public writes by a keyed hash of the address (shared/http/public-limit.ts). Each gets the
 * secret's ARN (CURSOR_KEY_SECRET_ARN) and GetSecretValue on it; no other function does.
 * tests/infra/secrets-in-environment.test.ts checks the list against the handlers.
 */
export const cursorKeyReaders: readonly FunctionName[] = [
  'admin-users',
  'audit-access-log',
  'audit-bureau-events',
  'audit-digests',
  'audit-events',
  'inbox',
  'list-applications',
  'list-events',
  'public-comment',
  'public-hearing-request',
  'public-notices',
];
