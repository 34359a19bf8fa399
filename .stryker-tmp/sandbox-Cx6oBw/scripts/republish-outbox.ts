/**
 * Republish the outbox between two instants to the service's EventBridge bus: what an operator
 * runs when the publish-failures alarm fires (infra/notifications.ts), once the cause is fixed.
 *
 *   TABLE_NAME=eia-prod-main EVENT_BUS_NAME=eia-prod AWS_REGION=… \
 *     npx tsx scripts/republish-outbox.ts --from 2026-11-28T00:00:00Z --to 2026-11-28T12:00:00Z [--dry-run]
 *
 * Runs with the operator's credentials (dynamodb:Query on the table, events:PutEvents on the bus).
 * --dry-run lists what would be sent and sends nothing.
 */
// @ts-nocheck

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventBridgePort } from '../functions/publisher/event-bridge.ts';
import { republish } from '../functions/publisher/republish.ts';
import { applicationStore } from '../shared/store/application-store.ts';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
const instant = (name: 'from' | 'to') => {
  const value = values[name];
  if (!value || Number.isNaN(Date.parse(value))) {
    console.error(`--${name} must be an ISO instant, e.g. 2026-11-28T00:00:00Z`);
    process.exit(2);
  }
  return new Date(value).toISOString();
};
const window = { from: instant('from'), to: instant('to') };
const table = process.env.TABLE_NAME;
const bus = process.env.EVENT_BUS_NAME;
if (!table || (!bus && !values['dry-run'])) {
  console.error('Set TABLE_NAME (and EVENT_BUS_NAME unless --dry-run).');
  process.exit(2);
}
const endpoint = process.env.DYNAMODB_ENDPOINT;
const doc = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}));
const store = applicationStore(doc, { table, idempotencyTable: '' });
const port = values['dry-run'] || !bus ? undefined : eventBridgePort(new EventBridgeClient({}), bus);
const report = await republish(store, port, window, (type, at) =>
  console.log(`${values['dry-run'] ? 'would publish' : 'published'} ${type} ${at}`),
);
console.log(`${report.published} notification(s) ${values['dry-run'] ? 'found' : 'republished'}.`);
