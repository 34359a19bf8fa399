/**
 * Counts what every DynamoDB call costs, from the requests themselves: DynamoDB Local does not
 * report the capacity of transactions (and reports reads loosely), so the units are computed here
 * with the rules of the DynamoDB pricing page:
 *
 * - item size: attribute names plus values (strings and binaries by length, numbers ~1 byte per
 *   two significant digits + 1, lists and maps 3 bytes + 1 per element);
 * - reads: 1 unit per 4 KB strongly consistent, half that eventually consistent (every index
 *   query), twice that in a transaction; a Query sums its items before rounding up; at least 1
 *   unit (0.5 eventually consistent) per call, even when nothing is found;
 * - writes: 1 unit per KB of the larger of the old and the new item, twice that in a transaction;
 *   each global secondary index the item is in costs its own write (a moved index key: a delete
 *   and a put), with ALL projected (local/tables.ts), the size of the item.
 *
 * The old item of a put is the one this meter saw written last under the same key (the bench
 * writes everything it reads through metered clients); unseen items count as new.
 *
 * S3 requests are counted by operation (no units: S3 bills per request and per byte stored).
 *
 * Installed once per process by `installMeter()`: every AWS SDK client's `send` adds the metering
 * middleware to its stack (a DynamoDBDocumentClient shares its DynamoDBClient's stack), so the
 * handlers' own clients, made inside shared/runtime/clients.ts, are metered without a change to
 * them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mainTable } from '../../shared/store/table.ts';

/** A value as DynamoDB JSON ({S: …}, {N: …}, {M: …}, …). */
type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Bytes of a DynamoDB number: 1 per two significant digits, plus 1. */
export function numberSize(n: string): number {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(String(v));
    case 'N':
      return numberSize(String(v));
    case 'B':
      return typeof v === 'string' ? Buffer.from(v, 'base64').length : (v as Uint8Array).length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (v as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (v as string[]).reduce((sum, s) => sum + numberSize(s), 0);
    case 'BS':
      return (v as string[]).reduce((sum, s) => sum + Buffer.from(s, 'base64').length, 0);
    case 'L':
      return 3 + (v as AttributeValue[]).reduce((sum, el) => sum + 1 + valueSize(el), 0);
    case 'M':
      return 3 + Object.entries(v as Item).reduce((sum, [k, el]) => sum + utf8(k) + 1 + valueSize(el), 0);
    default:
      throw new Error(`unknown DynamoDB type ${type}`);
  }
}

/** Bytes of an item in DynamoDB JSON: names plus values. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** A plain JavaScript value (what the document client hands back) as DynamoDB JSON. */
export function toAttribute(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Uint8Array) return { B: value };
  if (value instanceof Set) {
    const all = [...value];
    return typeof all[0] === 'number' ? { NS: all.map(String) } : { SS: all.map(String) };
  }
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  if (typeof value === 'object') {
    // A NumberValue of the document client (wrapNumbers) has a string `value`.
    if (value.constructor?.name === 'NumberValue') return { N: String((value as { value: string }).value) };
    return { M: toItem(value as Record<string, unknown>) };
  }
  throw new Error(`cannot size a ${typeof value}`);
}

export function toItem(obj: Record<string, unknown>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = toAttribute(v);
  return out;
}

export const readUnits = (bytes: number, strong: boolean, transactional = false) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (transactional ? 2 : strong ? 1 : 0.5);
export const writeUnits = (bytes: number, transactional = false) =>
  Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);

export interface Work {
  /** Round trips to DynamoDB. */
  calls: number;
  /** Items read: returned by GetItem/TransactGetItems, examined by Query (ScannedCount). */
  itemsRead: number;
  /** Items put (base table only). */
  itemsWritten: number;
  readUnits: number;
  /** Base table and index writes. */
  writeUnits: number;
  /** Of writeUnits, those of global secondary index updates. */
  indexWriteUnits: number;
  /** Calls per operation, e.g. {TransactWriteItems: 1, GetItem: 1}. */
  ops: Record<string, number>;
  /**
   * S3 requests per operation: the SDK's own (HeadObject, GetObject, PutObject; a presigned URL
   * being made is no request) and those a client sends to a presigned URL (`PUT (presigned)`).
   */
  s3: Record<string, number>;
}

export const emptyWork = (): Work => ({
  calls: 0,
  itemsRead: 0,
  itemsWritten: 0,
  readUnits: 0,
  writeUnits: 0,
  indexWriteUnits: 0,
  ops: {},
  s3: {},
});

export function addWork(into: Work, more: Work): Work {
  into.calls += more.calls;
  into.itemsRead += more.itemsRead;
  into.itemsWritten += more.itemsWritten;
  into.readUnits += more.readUnits;
  into.writeUnits += more.writeUnits;
  into.indexWriteUnits += more.indexWriteUnits;
  for (const [op, n] of Object.entries(more.ops)) into.ops[op] = (into.ops[op] ?? 0) + n;
  for (const [op, n] of Object.entries(more.s3)) into.s3[op] = (into.s3[op] ?? 0) + n;
  return into;
}

/** The index key attributes of the main table (the idempotency table has no index). */
const indexKeys = mainTable.globalSecondaryIndexes.map((ix) => [ix.partitionKey.name, ix.sortKey.name]);

/** What an item costs in the indexes when `before` becomes `after` (either may be absent). */
export function indexWriteUnits(before: Item | undefined, after: Item | undefined): number {
  let units = 0;
  const keyOf = (item: Item | undefined, [pk, sk]: string[]) =>
    item?.[pk ?? ''] && item?.[sk ?? ''] ? JSON.stringify([item[pk ?? ''], item[sk ?? '']]) : undefined;
  const oldSize = before ? itemSize(before) : 0;
  const newSize = after ? itemSize(after) : 0;
  for (const keys of indexKeys) {
    const was = keyOf(before, keys);
    const is = keyOf(after, keys);
    if (was === undefined && is === undefined) continue;
    if (was !== undefined && is !== undefined && was === is) units += writeUnits(Math.max(oldSize, newSize));
    else {
      if (was !== undefined) units += writeUnits(oldSize);
      if (is !== undefined) units += writeUnits(newSize);
    }
  }
  return units;
}

/**
 * The meter: `work()` is the total so far; `measure(fn)` the work of what fn does (calls made while
 * it runs, so measure one thing at a time).
 */
export class Meter {
  total: Work = emptyWork();
  /** Last item put per table and key, for the old size of a rewrite and its index entries. */
  private readonly seen = new Map<string, Item>();
  /** Off: calls are not counted (seeding, timing). */
  enabled = true;
  /** When set, every call's operation and wire body is appended (to issue the same calls again). */
  capture: { op: string; body: string }[] | undefined;

  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; work: Work }> {
    const before = structuredClone(this.total);
    const result = await fn();
    const work = emptyWork();
    const after = this.total;
    work.calls = after.calls - before.calls;
    work.itemsRead = after.itemsRead - before.itemsRead;
    work.itemsWritten = after.itemsWritten - before.itemsWritten;
    work.readUnits = after.readUnits - before.readUnits;
    work.writeUnits = after.writeUnits - before.writeUnits;
    work.indexWriteUnits = after.indexWriteUnits - before.indexWriteUnits;
    for (const [op, n] of Object.entries(after.ops)) {
      const d = n - (before.ops[op] ?? 0);
      if (d) work.ops[op] = d;
    }
    for (const [op, n] of Object.entries(after.s3)) {
      const d = n - (before.s3[op] ?? 0);
      if (d) work.s3[op] = d;
    }
    return { result, work };
  }

  /** Counts one S3 request (an SDK call, or a client's request to a presigned URL). */
  recordS3(op: string): void {
    if (!this.enabled) return;
    this.total.s3[op] = (this.total.s3[op] ?? 0) + 1;
  }

  /** Counts one call from its wire input (DynamoDB JSON) and its output (either form). */
  record(op: string, input: Record<string, unknown>, output: Record<string, unknown>, plain: boolean): void {
    if (!this.enabled) return;
    const t = this.total;
    t.calls += 1;
    t.ops[op] = (t.ops[op] ?? 0) + 1;
    const asItem = (x: unknown): Item | undefined =>
      x === undefined || x === null ? undefined : plain ? toItem(x as Record<string, unknown>) : (x as Item);
    switch (op) {
      case 'GetItem': {
        const item = asItem(output.Item);
        if (item) t.itemsRead += 1;
        t.readUnits += readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true);
        break;
      }
      case 'TransactGetItems': {
        for (const r of (output.Responses ?? []) as { Item?: unknown }[]) {
          const item = asItem(r.Item);
          if (item) t.itemsRead += 1;
          t.readUnits += readUnits(item ? itemSize(item) : 0, true, true);
        }
        break;
      }
      case 'BatchGetItem': {
        for (const items of Object.values((output.Responses ?? {}) as Record<string, unknown[]>)) {
          for (const raw of items) {
            const item = asItem(raw);
            t.itemsRead += 1;
            t.readUnits += readUnits(item ? itemSize(item) : 0, true);
          }
        }
        break;
      }
      case 'Query':
      case 'Scan': {
        const items = ((output.Items ?? []) as unknown[]).map((x) => asItem(x) as Item);
        const scanned = Number(output.ScannedCount ?? items.length);
        const bytes = items.reduce((sum, it) => sum + itemSize(it), 0);
        // Items a filter dropped were read too; their size is taken as the mean of those returned.
        const dropped = scanned - items.length;
        const mean = items.length > 0 ? bytes / items.length : 1024;
        t.itemsRead += scanned;
        t.readUnits += readUnits(bytes + dropped * mean, input.ConsistentRead === true);
        break;
      }
      case 'PutItem':
        this.put(input as { TableName: string; Item: Item }, false);
        break;
      case 'TransactWriteItems': {
        for (const entry of (input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]) {
          if (entry.Put) this.put(entry.Put as { TableName: string; Item: Item }, true);
          else if (entry.ConditionCheck) t.readUnits += readUnits(0, true, true);
          else throw new Error(`meter: ${Object.keys(entry)[0]} in a transaction is not counted yet`);
        }
        break;
      }
      case 'BatchWriteItem': {
        for (const [table, requests] of Object.entries(
          (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item: Item } }[]>,
        )) {
          for (const r of requests)
            if (r.PutRequest) this.put({ TableName: table, Item: r.PutRequest.Item }, false);
        }
        break;
      }
      default:
        // Table management (CreateTable, DescribeTable, …) is not part of the work.
        t.calls -= 1;
        t.ops[op] = (t.ops[op] ?? 1) - 1;
        if (t.ops[op] === 0) delete t.ops[op];
    }
  }

  private put(put: { TableName: string; Item: Item }, transactional: boolean): void {
    const t = this.total;
    const key = `${put.TableName}\n${JSON.stringify(put.Item.pk)}\n${JSON.stringify(put.Item.sk ?? null)}`;
    const before = this.seen.get(key);
    const size = Math.max(itemSize(put.Item), before ? itemSize(before) : 0);
    t.itemsWritten += 1;
    t.writeUnits += writeUnits(size, transactional);
    const idx = put.TableName.endsWith(mainTable.id) ? indexWriteUnits(before, put.Item) : 0;
    t.writeUnits += idx;
    t.indexWriteUnits += idx;
    this.seen.set(key, put.Item);
  }
}

export const meter = new Meter();

/** Whether the document client marshalled this call (its output then comes back unmarshalled). */
function viaDocumentClient(context: Record<string, unknown>): boolean {
  const sdk = context.__aws_sdk_context as { features?: Record<string, string> } | undefined;
  return sdk?.features?.DDB_MAPPER !== undefined;
}

interface Stack {
  add(mw: unknown, options: Record<string, unknown>): void;
}
const metered = new WeakSet<object>();
const decoder = new TextDecoder();

/** The middleware: the wire request's operation and body in, the output out. */
function meteringMiddleware(
  next: (args: unknown) => Promise<{ output: Record<string, unknown> }>,
  context: Record<string, unknown>,
) {
  return async (args: {
    input?: Record<string, unknown>;
    request?: { headers?: Record<string, string>; body?: unknown };
  }) => {
    const result = await next(args);
    if (!meter.enabled && !meter.capture) return result;
    if (context.clientName === 'S3Client') {
      // Making a presigned URL runs the stack too, but sends nothing.
      if ('presigned' in result.output) return result;
      const op = String(context.commandName ?? '').replace(/Command$/, '');
      meter.capture?.push({ op: `S3:${op}`, body: JSON.stringify(args.input ?? {}) });
      meter.recordS3(op);
      return result;
    }
    const headers = args.request?.headers ?? {};
    const target = headers['x-amz-target'] ?? headers['X-Amz-Target'] ?? '';
    const op = target.slice(target.indexOf('.') + 1);
    const body = args.request?.body;
    const text = typeof body === 'string' ? body : body instanceof Uint8Array ? decoder.decode(body) : '';
    if (!op || !text) return result;
    meter.capture?.push({ op, body: text });
    if (meter.enabled) meter.record(op, JSON.parse(text), result.output, viaDocumentClient(context));
    return result;
  };
}

let installed = false;

/** Every AWS SDK client of this process is metered from its next call on. */
export function installMeter(): Meter {
  if (installed) return meter;
  installed = true;
  const proto = Object.getPrototypeOf(DynamoDBClient.prototype) as {
    send: (this: { middlewareStack: Stack }, ...args: unknown[]) => unknown;
  };
  const send = proto.send;
  proto.send = function (this: { middlewareStack: Stack }, ...args: unknown[]) {
    if (!metered.has(this.middlewareStack)) {
      metered.add(this.middlewareStack);
      this.middlewareStack.add(meteringMiddleware, { step: 'build', name: 'benchMeter', priority: 'low' });
    }
    return send.apply(this, args);
  };
  return meter;
}
