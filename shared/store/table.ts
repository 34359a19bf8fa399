/**
 * The one definition of the tables: keys, indexes, TTL. CDK (infra/), the local server
 * (local/) and the tests all build their tables from this object, so they cannot drift.
 */
export type KeyType = 'S' | 'N';
export interface KeyDef {
  readonly name: string;
  readonly type: KeyType;
}
export interface IndexDef {
  readonly indexName: string;
  readonly partitionKey: KeyDef;
  readonly sortKey: KeyDef;
  /** Only these attributes besides the keys (an INCLUDE projection); absent: every attribute (ALL). */
  readonly include?: readonly string[];
}
export interface TableDef {
  /** Logical id, also the default physical name (after the prefix). */
  readonly id: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly globalSecondaryIndexes: readonly IndexDef[];
  readonly timeToLiveAttribute?: string;
}

/** Index n of the main table: `gsi<n>-<name>` on string keys `gsi<n>pk` / `gsi<n>sk`, literal types kept. */
function gsi<const N extends number, const Name extends string>(n: N, name: Name) {
  return {
    indexName: `gsi${n}-${name}`,
    partitionKey: { name: `gsi${n}pk`, type: 'S' },
    sortKey: { name: `gsi${n}sk`, type: 'S' },
  } as const satisfies IndexDef;
}

/** Applications, their audit events, public notices and the audit access log: one table, keys owned by keys.ts. */
export const mainTable = {
  id: 'eia-main',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    // Applications by owner, newest first: an applicant's own list.
    gsi(1, 'owner'),
    // Applications by state: officials' lists filtered by state.
    gsi(2, 'state'),
    // Every application, newest first: officials' unfiltered list.
    gsi(3, 'all'),
    // The audit indexes below are sparse: only event items carry their attributes, and their sort
    // key is `<at>#<applicationId>#<seq>`, so a time range is a key condition on every one of them.
    // Events by actor: who did what, when.
    gsi(4, 'actor'),
    // Events by action name.
    gsi(5, 'action'),
    // Events by UTC day: a time-range query walks the day partitions in order.
    gsi(6, 'day'),
    // The sweeper's work list, sparse: only applications with something coming due carry it, keyed
    // by the first day the sweeper must look (shared/domain/deadlines.ts nextCheckOn).
    gsi(7, 'sweep'),
    // Work queues, sparse: an application that waits on someone is in the partition of that role
    // (`WAITS#role#clerk|reviewer|approver`) or user (`WAITS#user#<id>`), keyed by due date
    // (`<due or 9999-12-31>#<createdAt>#<id>`), so "what waits on me" reads oldest-due first
    // (shared/domain/queue.ts waitsOn).
    gsi(8, 'queue'),
    // Finding applications (GET /applications?q=): every application but a deleted draft, newest
    // first like gsi3, with only the small folded `findText` (shared/domain/find.ts) and the two
    // filters a search combines with, so that a search reads little; what it finds is then read
    // from the table by key.
    { ...gsi(9, 'find'), include: ['findText', 'state', 'category'] },
  ],
  // Only the public write budget's counters carry it (shared/store/keys.ts limitKey): nothing of
  // an application, its trail or a notice ever expires.
  timeToLiveAttribute: 'removeAfter',
} as const satisfies TableDef;

/** Idempotency records: written in the same transaction as the change they guard; expire by TTL. */
export const idempotencyTable = {
  id: 'eia-idempotency',
  partitionKey: { name: 'pk', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDef;

export const tables: readonly TableDef[] = [mainTable, idempotencyTable];

/** Physical table name for a deployment or local instance. */
export function tableName(def: TableDef, prefix = ''): string {
  return `${prefix}${def.id}`;
}
