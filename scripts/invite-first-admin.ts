/**
 * Opens the first admin's account in the table's staff directory (profile china, where the staff
 * routes keep the accounts in the table and nobody can invite before an admin exists):
 *
 *   TABLE_NAME=eia-prod-main AWS_REGION=cn-north-1 \
 *     npx tsx scripts/invite-first-admin.ts --email admin@liling.gov.cn --name 李明
 *
 * Runs with the operator's credentials (dynamodb:GetItem and a TransactWriteItems PutItem on the
 * STAFF partition). The account is linked to the provider's subject at its holder's first sign-in,
 * by the token's e-mail (docs/runtime.md#staff-accounts-in-the-table-china-profile); an address
 * that has an account already is refused and nothing is written.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmailTakenError } from '../shared/runtime/user-directory.ts';
import { parse } from '../shared/schemas/parse.ts';
import { InvitationSchema } from '../shared/schemas/staff.ts';
import { staffDirectory } from '../shared/store/staff-directory.ts';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
const table = process.env.TABLE_NAME;
if (!table || !values.email || !values.name) {
  console.error('usage: TABLE_NAME=… npx tsx scripts/invite-first-admin.ts --email <address> --name <name>');
  process.exit(2);
}
const invitation = parse(InvitationSchema, { email: values.email, name: values.name, groups: ['admin'] });
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
try {
  const user = await staffDirectory(doc, table).invite(invitation);
  console.log(`invited ${user.email} as admin (account ${user.id}); it is linked at the first sign-in`);
} catch (error) {
  if (error instanceof EmailTakenError) {
    console.error(`${invitation.email} already has an account: nothing written`);
    process.exit(1);
  }
  throw error;
}
