import type { Who } from '../domain/workflow.ts';
import type { ProblemType } from './openapi-problems.ts';
import type { FunctionName } from './routes.ts';

/**
 * What /openapi.json tells an integrator about each route: a summary, what a 200/201 holds, and
 * the problem types the route can answer with (its error responses name only those).
 */
interface Operation {
  readonly summary: string;
  readonly description?: string;
  /** What the success response holds. */
  readonly ok: string;
  /** Media types it may come as besides JSON. */
  readonly alsoAs?: readonly string[];
  readonly problems: readonly ProblemType[];
  /** The success status when it is not 200: 201 for a creation, 202 for a comment taken in, 204 for a deletion, 303 for a redirect to a file (`Location`). */
  readonly status?: 201 | 202 | 204 | 303;
  /** Optional query parameters: name → what it means. */
  readonly query?: Readonly<Record<string, string>>;
}

const signedIn = ['unauthorized', 'rate-limited', 'unavailable'] as const;
const query = ['validation', ...signedIn] as const;
/** A query open to some roles only. */
const byRole = ['wrong-role', ...query] as const;
/** A request with a JSON body, through the one command path (shared/http/command.ts). */
const command = ['validation', 'body-too-large', 'not-json', 'too-large', ...signedIn] as const;

/** take-action is documented per action, from the workflow definition (see openapi-document.ts). */
export const operations: Record<Exclude<FunctionName, 'take-action'>, Operation> = {
  'create-application': {
    summary: 'An applicant, or the window for a walk-in, creates a draft application (创建申请草稿)',
    description:
      'The applicant is the owner; `applicant.orgCode` must be their own organisation. A clerk creates one only for an organisation at the window (`onBehalfOf`, 窗口代录, same `orgCode` as `applicant`): every applicant of that organisation owns it. `preparedBy` names the consultancy that prepared the documents. Answers 201 with `Location` and `ETag`.',
    ok: 'Created: the draft application, with `allowedActions` for the caller',
    problems: [
      ...command,
      'wrong-role',
      'no-organisation',
      'conflict-of-interest',
      'in-flight',
      'org-mismatch',
      'idempotency-key-reused',
    ],
  },
  'list-applications': {
    summary:
      "Lists applications: an applicant's own and their organisation's walk-ins; every one for officials and the auditor",
    description:
      "`mine=true`: only the caller's own. `queue=mine`: what waits on the caller now, due date first. Filters: `state`, `category`; paged by `limit` and `cursor`. `q`: a search (1–100 characters, at most 5 words, each found as a substring; full-width forms, letter case, spaces and brackets ignored) by case, decision or document number, project, organisation, USCC, contact person, walk-in clerk or the names of the officials who acted; officials and the auditor search every application, anyone else's `q` filters their own list; a deleted draft is never found. A search page may hold fewer than `limit` items with a `cursor`. Each application names its applicant's contact person and phone: a page that holds any but the caller's own is one entry of the access log (GET /audit/access-log), naming their ids, written before the answer; when it cannot be written the read fails (503).",
    ok: '`{ items, cursor? }`: a page of applications, newest first',
    problems: query,
  },
  'get-application': {
    summary: 'Reads one application, for its owner, officials and the auditor',
    description:
      "With its `ETag` (for If-Match) and `allowedActions`: the actions the caller may take now. An official's or the auditor's read is entered in the access log (GET /audit/access-log) before the answer; when the entry cannot be written the read fails (503).",
    ok: 'The application',
    problems: ['not-found', ...signedIn],
  },
  'update-application': {
    summary: 'The owning applicant edits a draft, or answers a supplement or revision request',
    description:
      "Any part of the create body but `onBehalfOf`; `preparedBy: null` removes the consultancy. On a walk-in the window (a clerk) may edit too, unless it is the clerk's own organisation. Once the acceptance notice is published the project's name, location, industry and investment and the applicant's name and code stay as published (422 `facts-frozen`); the description, contact, materials and consultancy may still change. Send the version read (`If-Match: \"<version>\"`) to be told 412 when it is stale.",
    ok: 'The application as edited, with its new `ETag`',
    problems: [
      ...command,
      'not-found',
      'not-yours',
      'no-organisation',
      'not-editable',
      'concurrent-change',
      'stale-version',
      'rule',
      'org-mismatch',
      'facts-frozen',
      'conflict-of-interest',
    ],
  },
  'delete-application': {
    summary: 'The owning applicant deletes a draft that was never submitted (删除草稿)',
    description:
      'Only in DRAFT and only if it was never submitted (409 `not-allowed-in-state` otherwise; a submitted one can be withdrawn). On a walk-in the window clerk who took it in may delete it too. One write records `delete_draft` in the trail and takes the draft off every list: afterwards the application answers 404 to everyone, and only the auditor still reads its trail (`GET /applications/{id}/events`, `GET /audit/applications/{id}/verify`). Files uploaded for it stay in the bucket (Object Lock keeps every stored file for its retention period), but no route serves them any more. Send the version read (`If-Match: "<version>"`) to be told 412 when it is stale; an Idempotency-Key answers a retry with the first 204.',
    ok: 'No content: the draft is deleted',
    status: 204,
    problems: [
      ...signedIn,
      'validation',
      'not-found',
      'not-yours',
      'conflict-of-interest',
      'not-allowed-in-state',
      'concurrent-change',
      'stale-version',
      'in-flight',
      'idempotency-key-reused',
    ],
  },
  'create-upload': {
    summary: 'Announces a file for a material, and answers a presigned PUT for its bytes (上传材料)',
    description:
      "The owner (or the window for a walk-in) in DRAFT, SUPPLEMENT_REQUIRED or REVISION_REQUIRED, for a material code of the application's configuration; the case officer for `EXPERT_OPINION` while recording the expert opinion is open to them, and `HEARING_RECORD` in a hearing. The PUT must send exactly the answered `headers`: its signature pins the SHA-256, the length and the content type, so storage refuses any other bytes; it is valid 15 minutes. `fileName` has no path, control or direction characters and an extension of an allowed type (`contentType` must fit it); `sizeBytes` is at most the configuration's `uploads.maxBytes`; `contentType` is kept in lower case. An application has at most 200 uploads (422 `too-many-uploads`). `material` is what to put in PATCH `materials`, `resubmit`, `submit_revision` or an act's `attachments`: a submission counts it only once the bytes are stored. Answers 201.",
    ok: 'Created: `{ uploadId, url, method: "PUT", headers, expiresAt, material }`',
    status: 201,
    problems: [
      ...command,
      'not-found',
      'wrong-role',
      'not-yours',
      'not-editable',
      'not-allowed-in-state',
      'in-flight',
      'idempotency-key-reused',
      'too-many-uploads',
    ],
  },
  'list-materials': {
    summary:
      'Lists every stored version of every material of an application, for its owner, officials and the auditor',
    description:
      "Oldest first. `current` marks the version the application names now (for an official's attachment: the latest one recorded). A version is listed once a submission or act found its bytes stored, or while the application names it. `scan` is the malware scan: PENDING, CLEAN, INFECTED, or SKIPPED where nothing scanned the file; then `scanReason` says why: `not-offered-in-region` (no malware scanning in the region, e.g. the China regions), `turned-off` (this deployment runs without it), `local` (the local server), `unsupported` (a file the scanner cannot read: encrypted, password-protected, an archive past its limits, too large), `access-denied` or `failed` (the scanner could not scan it). A version recorded before reasons were kept may have none.",
    ok: '`{ items }`: `{ code, fileName, sha256, sizeBytes, contentType, uploadedAt, uploadedBy, scan, scanReason?, current, uploadId, stored }` each',
    problems: ['not-found', ...signedIn],
  },
  'get-material': {
    summary:
      "Downloads a material's file: 303 to a presigned GET valid 5 minutes, for its owner, officials and the auditor",
    description:
      "The current version, or the one named by `version` (an `uploadId` from the list). The file comes with its UTF-8 name (`Content-Disposition`). An official's or the auditor's download is entered in the access log (GET /audit/access-log) before the answer.",
    ok: 'See Other: `Location` is the file for 5 minutes',
    status: 303,
    query: { version: 'an `uploadId` of GET /applications/{id}/materials; absent: the current version' },
    problems: ['validation', 'not-found', 'file-infected', ...signedIn],
  },
  'list-documents': {
    summary:
      'Lists the written documents issued on one application, oldest first, for its owner, officials and the auditor',
    description:
      'One per formal act: acceptance notice, supplement notice, decision not to accept, approval, rejection, filing receipt. Each has its own number, sequential per series and year (e.g. `醴环评〔2026〕17号`). `pending: true` until its PDF is stored, which is normally a matter of seconds; then `sha256` is the one the audit trail records.',
    ok: '`{ items }`: `{ documentId, kind, number, issuedOn, sha256?, sizeBytes?, storedAt?, pending? }` each',
    problems: ['wrong-role', 'not-found', ...signedIn],
  },
  'list-comments': {
    summary:
      "Lists the public's comments on one application's notices, oldest first, for officials and the auditor",
    description:
      "With each commenter's name and contact as given (kept from everyone else) and the case officer's response. Not for the applicant (403 `wrong-role`), nor for an official of the applicant's organisation (403 `conflict-of-interest`).",
    ok: '`{ items, received, answered }`: `{ commentId, noticeId, noticeKind, receivedAt, text, name?, contact?, response?, respondedAt?, respondedBy? }` each',
    problems: ['wrong-role', 'conflict-of-interest', 'not-found', ...signedIn],
  },
  'respond-comment': {
    summary: 'The case officer answers one public comment, once (在审批记录中)',
    description:
      '`{ response }`, 1–5,000 characters. Recorded in the audit trail as `respond_to_comment` with the response. A decision can be proposed, and then taken, only when every comment has its response (422 `comments-unanswered`).',
    ok: '`{ comment, event }`',
    problems: [
      ...command,
      'wrong-role',
      'conflict-of-interest',
      'not-yours',
      'not-found',
      'comment-already-answered',
      'concurrent-change',
    ],
  },
  'list-hearing-requests': {
    summary:
      "Lists the interested parties' hearing requests on one application, oldest first, for officials and the auditor",
    description:
      "With each requester's name, contact and reason as given (kept from everyone else): the case officer phones those whose contact is not an e-mail address. Not for the applicant (403 `wrong-role`), nor for an official of the applicant's organisation (403 `conflict-of-interest`).",
    ok: '`{ items }`: `{ hearingRequestId, noticeId, receivedAt, name, contact, reason }` each',
    problems: ['wrong-role', 'conflict-of-interest', 'not-found', ...signedIn],
  },
  'get-document': {
    summary:
      "Downloads a written document's PDF: 303 to a presigned GET valid 5 minutes, for the owner, officials and the auditor",
    description:
      "`documentId` is one of GET /applications/{id}/documents. While the PDF is being made the answer is 503 with Retry-After (a few seconds). An official's or the auditor's download is entered in the access log (GET /audit/access-log) before the answer.",
    ok: 'See Other: `Location` is the PDF for 5 minutes',
    status: 303,
    problems: ['wrong-role', 'not-found', ...signedIn],
  },
  'list-events': {
    summary: "Lists one application's audit trail, oldest first, for its owner, officials and the auditor",
    description:
      "The names and contacts the public left in its events (`payload.name`, `payload.contact` of an event whose actor is `public`: a comment, a hearing request) are shown as given to officials and the auditor, and masked for everyone else (刘**, l*****@x.cn, 138****0000); `personalData` says which. A masked event no longer hashes to its `hash`: GET /audit/applications/{id}/verify checks the trail as stored. The trail names the applicant (the actor of their steps, the contact person and phone). An official's or the auditor's read is entered in the access log (GET /audit/access-log) before the answer; when the entry cannot be written the read fails (503).",
    ok: '`{ items, cursor?, personalData }`: a page of events, each chained to the one before by its hash; `personalData` is `included` or `masked`',
    problems: ['not-found', ...query],
  },
  'audit-events': {
    summary: 'The auditor queries the audit trail by application, actor, action and time, or exports it',
    description:
      '`format=json` pages; `ndjson` and `csv` export one page per request (`x-next-cursor`). The CSV opens as it is in Excel and WPS: UTF-8 with a byte order mark, CRLF, Beijing time (`2026-03-02 09:30:00`), headers, actions, roles and states in words in the language `Accept-Language` puts first (Chinese or English), the action code beside its name. The personal data of applicants (contact names and phones, the name of an applicant who acted, also in the CSV actor column) and the names and contacts the public left in its comments and hearing requests are masked unless asked for (刘**, 138****0000), and asking is recorded in the access log first.',
    ok: 'A page of events (JSON), or an NDJSON or CSV export of one page',
    alsoAs: ['application/x-ndjson', 'text/csv'],
    problems: byRole,
  },
  'audit-verify': {
    summary: "The auditor verifies one application's hash chain and the daily digests that name it",
    ok: '`{ ok, events, firstBrokenSeq?, reason?, headHash, digested, checkedAt }`',
    problems: ['wrong-role', 'not-found', ...signedIn],
  },
  'audit-bureau-events': {
    summary: 'The auditor reads the bureau stream: every admin change, oldest first',
    description:
      'Calendar years, configuration versions, staff accounts: each event with its `actor`, `subject`, `payload`, `changes` (before and after) and its place in the chain. Paged by `limit` and `cursor`.',
    ok: '`{ items, cursor? }`: a page of bureau events `{ stream, seq, action, actor, at, subject, payload, changes, requestId, prevHash, hash }`',
    problems: byRole,
  },
  'audit-bureau-verify': {
    summary:
      "The auditor verifies the bureau's own hash chain: every admin change (calendar, staff, configuration)",
    description:
      'Each link recomputed, the head naming the newest event; then the stream against the newest daily digest that recorded its head (`digest`: `{ day, seq, hash }`): a stream shorter than that seq, or with another hash there, is `ok: false` naming the seq.',
    ok: '`{ stream: "bureau", ok, events, firstBrokenSeq?, reason?, headHash, digest?, checkedAt }`',
    problems: byRole,
  },
  'admin-calendar': {
    summary: 'The admin reads the working-day calendar: every year, the seed’s and the bureau’s (节假日安排)',
    description:
      'Each year with its `holidays` and adjusted working days (`workdays`, 调休) and `source`: `seed` (shipped with the service) or `bureau` (entered here, with `version`, `updatedAt`, `updatedBy`, and `pendingRecompute` until the next sweep has recounted the open applications’ dates).',
    ok: '`{ years: [{ year, holidays, workdays, source, version?, updatedAt?, updatedBy?, pendingRecompute? }] }`',
    problems: byRole,
  },
  'admin-calendar-year': {
    summary:
      'The admin enters one year’s holidays and adjusted working days as the State Council published them',
    description:
      'Replaces the year (seed or earlier entry). Every date inside the year, none in both lists, a year from 2000 to next year + 1; lists are stored sorted without repeats. An event of the `bureau` audit stream in the same transaction. The next sweep recounts every open application’s dates on it, each move a `recompute_dates` event by `system`. `If-Match: "<version>"` (`"0"` for a year never entered) answers 412 when another admin changed it first.',
    ok: '`{ year, event }`: the year as stored and its event in the bureau stream, with the year’s `ETag`',
    problems: [...command, 'wrong-role', 'stale-version', 'concurrent-change'],
  },
  'admin-config': {
    summary: 'The admin reads the workflow configuration: the current version and every one before it',
    description:
      'Materials per category (zh/en names, which are required), statutory limits and the bureau’s commitments, completeness, comment, notice and hearing periods. `versions` lists every version, oldest first; version 1 is the shipped seed. The `ETag` is the current `configVersion`.',
    ok: '`{ configVersion, config, updatedAt?, updatedBy?, versions: [{ configVersion, config, updatedAt?, updatedBy? }] }`',
    problems: byRole,
  },
  'admin-update-config': {
    summary: 'The admin sets the whole workflow configuration: a new configVersion, kept forever',
    description:
      'Every category keeps at least one required material, every required code is a defined material (codes unique, `^[A-Z][A-Z0-9_]{1,39}$`), commitments no longer than the statutory limits, periods positive whole days. An event of the `bureau` audit stream in the same transaction. New drafts and submissions follow the new version; an application already submitted keeps the one it was submitted under. `If-Match: "<configVersion>"` answers 412 when another admin changed it first.',
    ok: '`{ configVersion, config, updatedAt, updatedBy, event }` with the new version’s `ETag`',
    problems: [...command, 'wrong-role', 'invalid-config', 'stale-version', 'concurrent-change'],
  },
  'audit-digests': {
    summary: 'The auditor reads the daily chained digests of head hashes, newest first',
    ok: '`{ items, cursor?, chainOk, firstBrokenDay?, reason? }`: digests `{ day, applications, count, bureau?, prevHash, hash }`',
    problems: byRole,
  },
  'audit-access-log': {
    summary:
      "The auditor reads or exports the access log: who read applicants' personal data, asked for it unmasked or downloaded a file, and when, newest first",
    description:
      "Every read of applicants' personal data by an official or the auditor (`PERSONAL_DATA_READ`: the route, the ids returned, the same as `applications` `{ id, caseNumber?, projectName }` in entries written since they were recorded, the query), every request for unmasked personal data (`PERSONAL_DATA_EXPORT`) and every file an official or the auditor downloaded (`DOCUMENT_DOWNLOAD`), each written before the answer. `format=csv` exports a page for a spreadsheet: UTF-8 with a byte order mark, CRLF, Beijing time, what was read, the conditions and the applications (case number and project name) in words, the ids in columns of their own, headers and kinds in the language `Accept-Language` puts first (Chinese or English); the next page's cursor in `x-next-cursor`. Paged by `limit` and `cursor`.",
    ok: '`{ items, cursor? }`: a page of access records, each of `kind` `PERSONAL_DATA_READ`, `PERSONAL_DATA_EXPORT` or `DOCUMENT_DOWNLOAD`; or a CSV export of the page',
    alsoAs: ['text/csv'],
    problems: byRole,
  },
  stats: {
    summary: 'Statistics for officials and the auditor: received, accepted, decided, on time, late',
    description: 'Per category and in total, over `from`–`to` (Beijing days, both included, at most 366).',
    ok: 'The figures for the period',
    problems: byRole,
  },
  inbox: {
    summary: 'The notifications sent to the caller, newest first, with the number unread (消息)',
    description:
      "Every notification that names the caller, by their account, a role they hold or their organisation, kept as one entry; the caller's own inbox only. Each entry: `{ id, applicationId?, action, at, subject, body, deadline?, provisional?, read, readAt? }`, `subject` and `body` in Chinese and English (`{ zh, en }`); `applicationId` absent for a notice about no case (the calendar reminder). Paged by `limit` and `cursor`.",
    ok: '`{ items, unreadCount, cursor? }`',
    problems: query,
  },
  'inbox-read': {
    summary: "Marks entries of the caller's inbox read: `{ ids }` (at most 50) or `{ all: true }`",
    description:
      "The unread count moves in the same write. Idempotent: an entry read already, or one not in the caller's inbox, is left alone (not counted in `marked`).",
    ok: '`{ marked, unreadCount }`',
    problems: [...command, 'concurrent-change'],
  },
  'admin-users': {
    summary: 'The admin lists the accounts that may sign in, with their groups (员工管理)',
    description:
      "Cognito's user pool in AWS, the local user directory under `npm start`. Paged by `limit` (at most 60) and `cursor`.",
    ok: '`{ items, cursor? }`: a page of accounts `{ id, email, name, groups, enabled, status, createdAt, orgCode?, phone?, invitedBy? }` (`phone`: the mobile number SMS notices go to, E.164)',
    problems: byRole,
  },
  'admin-invite-user': {
    summary: 'The admin invites someone: an account with its groups, and an e-mail to sign in with',
    description:
      "An applicant's account needs `orgCode`. `phone` (optional): the mobile number SMS notices go to, a mainland mobile of 11 digits starting with 1, optionally after +86, kept as +86… (400 naming `phone` otherwise); the event marks a phone as given (`phone` is `set`), never holding the number. The invitation is an event of the `bureau` audit stream. Answers 201 with `Location`. A retry after an invitation was cut short (the account opened, a group or the event not written) completes it; any other account the e-mail has is 409.",
    ok: 'Created: `{ user, event }`, the account and its event in the bureau stream',
    problems: [
      'validation',
      'body-too-large',
      'not-json',
      ...signedIn,
      'wrong-role',
      'email-taken',
      'idempotency-key-reused',
    ],
  },
  'admin-update-user': {
    summary: "The admin changes an account's groups or mobile number, or enables or disables it",
    description:
      'Give `groups`, `enabled`, `phone` or several. `phone`: a mainland mobile for SMS notices (11 digits starting with 1, optionally after +86, kept as +86…; 400 naming `phone` otherwise), `null` removes it; the event marks it `set` or `none` before and after, never the number. The caller must be an enabled admin in the directory now, whatever the token says. Nobody changes their own account, and the last active admin cannot lose `admin` or be disabled. Disabling or taking a group signs the account out everywhere. Each change is an event of the `bureau` audit stream, written on the head read before the checks (409 when another bureau change landed meanwhile).',
    ok: '`{ user, event }`: the account as it is now and its event in the bureau stream',
    problems: [
      'validation',
      'body-too-large',
      'not-json',
      ...signedIn,
      'wrong-role',
      'not-found',
      'own-roles',
      'last-admin',
      'concurrent-change',
    ],
  },
  'public-notices': {
    summary: 'Public notices for anyone: acceptances, proposed decisions, decisions, filings',
    description:
      'No token needed. Newest first; they name the organisation but hold no personal data. Searched by `q`, `kind`, `from` and `to` (all of them must hold). A search reads at most 1000 notices per page, so a page may hold fewer than `limit` notices, or none, and still a `cursor`: follow it. A cursor pages on only the search it came from (another filter: 400 naming `cursor`).',
    ok: '`{ items, cursor? }`: a page of notices, each with `commentCount` (comments received on it; 0 for kinds that take none)',
    query: {
      q: "1 to 100 characters found in the project's name, the organisation's name, the notice's number or the location; Latin letters in any case, full-width letters and digits as ordinary ones",
      kind: 'ACCEPTANCE, PROPOSED_DECISION, DECISION or FILING',
      from: 'published on or after this Beijing day, YYYY-MM-DD',
      to: 'published on or before this Beijing day, YYYY-MM-DD (not before `from`)',
      limit: 'page size, 1 to 100 (20)',
      cursor: 'the `cursor` of the previous page, with the same filters',
    },
    problems: ['validation', 'rate-limited', 'unavailable'],
  },
  'public-notice': {
    summary: 'One public notice for anyone, with its public version and decision document',
    description:
      "No token needed. The notice as GET /public/notices lists it with its `commentCount`, `commentsOpenUntil` (the last day of the period the public may answer in, for an acceptance or a proposed decision), `hearingRequestsOpenUntil` (on the current proposed decision while interested parties may ask for a hearing: the last day they may), `hearing { at, place }` (once the hearing on the current proposal is scheduled, until it is held: hearings are public), and `links`: `publicVersion` once the application's acceptance is published, `decisionNumber`, `decisionDocument` and `verify` once the decision's PDF is stored. `noticeId` is the one in the list's items.",
    ok: '`{ noticeId, kind, …, commentCount, commentsOpenUntil?, hearingRequestsOpenUntil?, hearing?, links }`',
    problems: ['not-found', 'rate-limited', 'unavailable'],
  },
  'public-version': {
    summary:
      'Downloads the public version (公开版本) of the application a notice is about: 303 to its file, for anyone',
    description:
      "No token needed. Only once the application's acceptance notice is published, and only the `PUBLIC_VERSION` material (never the full EIA document): 404 for anything else. `noticeId` is the one in GET /public/notices's items.",
    ok: 'See Other: `Location` is the file for 5 minutes',
    status: 303,
    problems: ['not-found', 'rate-limited', 'unavailable'],
  },
  'public-comment': {
    summary: 'Comments on a notice while it takes comments, for anyone (公众意见)',
    description:
      "No token needed. `{ text, name?, contact? }`: `text` 1–5,000 characters, `name` up to 100, `contact` up to 200, none with control characters (400 naming the field). An acceptance notice takes comments from its publication until its last comment day, a proposed decision until the last day of its notice (`commentsOpenUntil` of GET /public/notices/{noticeId}); on other days 409 `comment-period-closed`. Names and contacts are never public: only officials and the auditor read them as given (the audit trail records them with the comment's arrival, masked for everyone else; never the text). The answer is the same whoever commented before, under whatever name. One address may send a limited number of comments and hearing requests together within a window (429 `too-many-requests`, with `Retry-After`). The case officer answers each comment before proposing a decision. Send an `Idempotency-Key` (a random value made once per form, sent again with every retry): a retry after a lost answer gets the first 202 again (`idempotent-replayed: true`) and stores nothing twice; the same key with another body is 422 `idempotency-key-reused`.",
    ok: 'Accepted: `{ commentId, receivedAt }`',
    status: 202,
    problems: [
      'validation',
      'body-too-large',
      'not-json',
      'not-found',
      'comment-period-closed',
      'concurrent-change',
      'too-many-requests',
      'in-flight',
      'idempotency-key-reused',
      'rate-limited',
      'unavailable',
    ],
  },
  'public-hearing-request': {
    summary: 'Asks for a hearing on a proposed decision, for any interested party (申请听证)',
    description:
      "No token needed. `{ name, contact, reason }`, all required: `name` up to 100 characters, `contact` (an e-mail address or a phone number) up to 200, `reason` up to 5,000, none with control characters (400 naming the field). Only on the notice of an application's current proposed decision, from its first day through the proposal's hearing deadline (`hearingRequestsOpenUntil` of GET /public/notices/{noticeId}), while the case is on notice or in its hearing; otherwise 409 `hearing-window-closed`. The first request moves the case to HEARING and pauses the review clock; the case officer then schedules the hearing within 20 working days of it, at least 7 days ahead, and everyone who left an e-mail address is told when and where. The name and contact are never public: only officials and the auditor read them; the reason is kept with the request, not in the audit trail. One address may send a limited number of comments and hearing requests together within a window (429 `too-many-requests`, with `Retry-After`). Send an `Idempotency-Key` (a random value made once per form, sent again with every retry): a retry after a lost answer gets the first 202 again (`idempotent-replayed: true`) and stores nothing twice; the same key with another body is 422 `idempotency-key-reused`.",
    ok: 'Accepted: `{ hearingRequestId, receivedAt }`',
    status: 202,
    problems: [
      'validation',
      'body-too-large',
      'not-json',
      'not-found',
      'hearing-window-closed',
      'concurrent-change',
      'too-many-requests',
      'in-flight',
      'idempotency-key-reused',
      'rate-limited',
      'unavailable',
    ],
  },
  'public-document': {
    summary: 'Verifies a written document by its number, for anyone (what its QR code opens)',
    description:
      "No token needed. `sha256` is the SHA-256 of the PDF as the application's audit trail records it: compare it with the file's. `chainVerified` says whether that trail is intact (every event's hash, and the application as the replay of its events). 404 for a number never issued, or whose PDF is not stored yet.",
    ok: '`{ number, kind, issuedOn, sha256, caseNumber, chainVerified }` (`caseNumber` null before acceptance)',
    problems: ['not-found', 'rate-limited', 'unavailable'],
  },
  'public-document-file': {
    summary: "Downloads a public written document's PDF by its number: 303 to its file, for anyone",
    description:
      'No token needed. Only approvals, rejections and filing receipts are public; 404 for every other kind, as for a number never issued. Documents carry no personal contact data, so the PDF is served as stored.',
    ok: 'See Other: `Location` is the PDF for 5 minutes',
    status: 303,
    problems: ['not-found', 'rate-limited', 'unavailable'],
  },
  workflow: {
    summary: 'The workflow for anyone, as data: states, actions, roles, payload schemas, materials',
    description: 'No token needed.',
    ok: "The workflow definition and the bureau's settings",
    problems: ['rate-limited'],
  },
  openapi: {
    summary: 'This document, for anyone',
    description: 'No token needed. Generated from the zod schemas that validate the requests.',
    ok: 'OpenAPI 3.1',
    problems: ['rate-limited'],
  },
};

/** The rules of one action with a problem type of their own (shared/domain/workflow.ts). */
const ruleProblems: Readonly<Record<string, readonly ProblemType[]>> = {
  approve: ['conditions-differ-from-notice', 'comments-unanswered'],
  reject: ['comments-unanswered'],
  propose_decision: ['comment-period-open', 'comments-unanswered'],
  schedule_hearing: ['hearing-too-soon', 'hearing-too-late'],
};

/** The checks of the files an action names (shared/http/material-check.ts). */
const fileProblems: Readonly<Record<string, readonly ProblemType[]>> = {
  submit: ['material-not-uploaded', 'material-type-mismatch'],
  resubmit: ['material-not-uploaded', 'material-type-mismatch'],
  submit_revision: ['material-not-uploaded', 'material-type-mismatch'],
  record_expert_opinion: ['material-not-uploaded', 'material-type-mismatch'],
  record_hearing_outcome: ['material-not-uploaded', 'material-type-mismatch'],
  accept: ['materials-not-clean'],
};

/** An action's problems: the command path's, the workflow's checks, If-Match, who may act, its own rules and its files' checks. */
export function actionProblems(who: Who, action = ''): readonly ProblemType[] {
  return [
    ...command,
    'wrong-role',
    ...whoProblems[who],
    // Every official act, and the window's act for a walk-in (owner actions).
    'conflict-of-interest',
    'not-found',
    'not-allowed-in-state',
    'concurrent-change',
    'in-flight',
    'stale-version',
    'rule',
    'idempotency-key-reused',
    ...(ruleProblems[action] ?? []),
    ...(fileProblems[action] ?? []),
  ];
}

const whoProblems: Record<Who, readonly ProblemType[]> = {
  anyone: [],
  owner: ['not-yours'],
  caseOfficer: ['not-yours'],
  notProposer: ['separation-of-duties'],
};
