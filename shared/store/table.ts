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
}
export interface TableDef {
  /** Logical id, also the default physical name (after the prefix). */
  readonly id: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly globalSecondaryIndexes: readonly IndexDef[];
  readonly timeToLiveAttribute?: string;
}

/** Applications, their audit events, public notices and the audit access log: one table, keys owned by keys.ts. */
export const mainTable = {
  id: 'eia-main',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    // Applications by owner, newest first: an applicant's own list.
    {
      indexName: 'gsi1-owner',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    // Applications by state: officials' lists filtered by state.
    {
      indexName: 'gsi2-state',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
    // Every application, newest first: officials' unfiltered list.
    {
      indexName: 'gsi3-all',
      partitionKey: { name: 'gsi3pk', type: 'S' },
      sortKey: { name: 'gsi3sk', type: 'S' },
    },
    // The audit indexes below are sparse: only event items carry their attributes, and their sort
    // key is `<at>#<applicationId>#<seq>`, so a time range is a key condition on every one of them.
    // Events by actor: who did what, when.
    {
      indexName: 'gsi4-actor',
      partitionKey: { name: 'gsi4pk', type: 'S' },
      sortKey: { name: 'gsi4sk', type: 'S' },
    },
    // Events by action name.
    {
      indexName: 'gsi5-action',
      partitionKey: { name: 'gsi5pk', type: 'S' },
      sortKey: { name: 'gsi5sk', type: 'S' },
    },
    // Events by UTC day: a time-range query walks the day partitions in order.
    {
      indexName: 'gsi6-day',
      partitionKey: { name: 'gsi6pk', type: 'S' },
      sortKey: { name: 'gsi6sk', type: 'S' },
    },
    // The sweeper's work list, sparse: only applications with something coming due carry it, keyed
    // by the first day the sweeper must look (shared/domain/deadlines.ts nextCheckOn).
    {
      indexName: 'gsi7-sweep',
      partitionKey: { name: 'gsi7pk', type: 'S' },
      sortKey: { name: 'gsi7sk', type: 'S' },
    },
    // Work queues, sparse: an application that waits on someone is in the partition of that role
    // (`WAITS#role#clerk|reviewer|approver`) or user (`WAITS#user#<id>`), keyed by due date
    // (`<due or 9999-12-31>#<createdAt>#<id>`), so "what waits on me" reads oldest-due first
    // (shared/domain/queue.ts waitsOn).
    {
      indexName: 'gsi8-queue',
      partitionKey: { name: 'gsi8pk', type: 'S' },
      sortKey: { name: 'gsi8sk', type: 'S' },
    },
  ],
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
