/**
 * Puts the applications written before the find index (`gsi9-find`) existed into it, so that
 * GET /applications?q= finds them (shared/store/find-backfill.ts). Run once after deploying it:
 *
 *   TABLE_NAME=eia-prod-main AWS_REGION=… npx tsx scripts/backfill-find.ts [--dry-run]
 *
 * Runs with the operator's credentials (dynamodb:Query on gsi3-all, dynamodb:UpdateItem on the
 * table). --dry-run lists what it would index and writes nothing. Safe to run again.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillFind } from '../shared/store/find-backfill.ts';

const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } } });
const table = process.env.TABLE_NAME;
if (!table) {
  console.error('Set TABLE_NAME (the main table, e.g. eia-prod-main).');
  process.exit(2);
}
const endpoint = process.env.DYNAMODB_ENDPOINT;
const doc = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}), {
  marshallOptions: { removeUndefinedValues: true },
});
const dryRun = values['dry-run'] ?? false;
const report = await backfillFind(doc, table, { dryRun, log: (line) => console.log(line) });
console.log(
  `${report.read} application(s) read; ${report.indexed} ${dryRun ? 'would be indexed' : 'indexed'}; ${report.overtaken} written meanwhile.`,
);
