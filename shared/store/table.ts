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

/** Applications, their audit events and public notices: one table, keys owned by keys.ts. */
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
