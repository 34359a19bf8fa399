import { describe, expect, it } from 'vitest';
import { cursorKeyReaders } from '../../infra/function-access.ts';
import { logicalId, synthesize } from './synth.ts';

const { stateful, stateless, templates } = synthesize();
const template = templates.stateless;

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
type Resource = { Type: string; Properties: Record<string, unknown> };

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const tableIds = {
  main: logicalId(stateful, stateful.table),
  idempotency: logicalId(stateful, stateful.idempotencyTable),
};
const IN_TRANSACTION = {
  'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
};
/** The public write budget's counters only (shared/http/public-limit.ts): partitions LIMIT#…. */
const ONLY_COUNTERS = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['LIMIT#*'] } };
/** The users' inboxes only (shared/store/inbox-store.ts): partitions INBOX#…, never an application. */
const ONLY_INBOXES = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INBOX#*'] } };
const IN_TRANSACTION_ON_INBOXES = { ...IN_TRANSACTION, ...ONLY_INBOXES };
/** The access log only (shared/http/access-log.ts): its AUDITLOG partition, never a case's. */
const IN_TRANSACTION_ON_ACCESS_LOG = {
  ...IN_TRANSACTION,
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITLOG*'] },
};
/** The documents key is used only by S3 on the function's behalf, in the stack's region. */
const VIA_S3 = {
  StringEquals: {
    'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
  },
};

const { notifications, users, documentEvents } = stateless;
const otherIds = {
  bus: logicalId(stateless, notifications.bus),
  'publish failures': logicalId(stateless, notifications.publishFailures),
  'notify failures': logicalId(stateless, notifications.notifyFailures),
  'user pool': logicalId(stateless, users.userPool),
  'document failures': logicalId(stateless, documentEvents.documentFailures),
  ...(documentEvents.scanFailures
    ? { 'scan failures': logicalId(stateless, documentEvents.scanFailures) }
    : {}),
};
/** The documents bucket's ARN (an import of its fixed export) and its key's (an import). */
const documentsArn = { 'Fn::ImportValue': stateful.documents.arnExportName };
const documentsKeyId = logicalId(stateful, stateful.documents.key);
/** The cursor key's secret (shared/runtime/secrets.ts). */
const cursorSecretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];

/** A resource of a statement as a word: main, idempotency, main/index/<name>, own log group, *. */
function label(resource: unknown, ownLogGroup: string): string {
  if (resource === '*') return '*';
  const text = JSON.stringify(resource);
  const table = Object.entries(tableIds).find(([, id]) => text.includes(`FnGetAtt${id}Arn`))?.[0];
  if (table) {
    const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    return join ? `${table}${String(join[1][1])}` : table;
  }
  if (text === JSON.stringify({ 'Fn::GetAtt': [ownLogGroup, 'Arn'] })) return 'own log group';
  const objects = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (objects && JSON.stringify(objects[1][0]) === JSON.stringify(documentsArn) && objects[1].length === 2) {
    return `bucket ${String(objects[1][1]).replace(/^\//, '')}`;
  }
  if (text.includes(`FnGetAtt${documentsKeyId}Arn`)) return 'documents key';
  if (text === JSON.stringify({ Ref: cursorSecretId })) return 'cursor key';
  if (/"Fn::ImportValue":"[^"]*MainTable[^"]*StreamArn[^"]*"/.test(text)) return 'main stream';
  const other = Object.entries(otherIds).find(
    ([, id]) => text === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] }),
  );
  return other ? other[0] : text;
}

/**
 * A statement's condition as words: PutItem only in a transaction, or reads confined to some
 * partitions (`dynamodb:LeadingKeys`); any other condition fails the test.
 */
function conditionLabel(condition: Statement['Condition']): string {
  if (condition === undefined) return '';
  if (JSON.stringify(condition) === JSON.stringify(IN_TRANSACTION)) return ' (in TransactWriteItems)';
  if (JSON.stringify(condition) === JSON.stringify(VIA_S3)) return ' (via S3)';
  if (JSON.stringify(condition) === JSON.stringify(ONLY_COUNTERS)) return ' (partitions LIMIT#*)';
  if (JSON.stringify(condition) === JSON.stringify(ONLY_INBOXES)) return ' (partitions INBOX#*)';
  if (JSON.stringify(condition) === JSON.stringify(IN_TRANSACTION_ON_INBOXES))
    return ' (in TransactWriteItems, partitions INBOX#*)';
  if (JSON.stringify(condition) === JSON.stringify(IN_TRANSACTION_ON_ACCESS_LOG))
    return ' (in TransactWriteItems, partitions AUDITLOG*)';
  const keys = condition['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'];
  expect(Object.keys(condition), JSON.stringify(condition)).toEqual(['ForAllValues:StringEquals']);
  expect(Array.isArray(keys), JSON.stringify(condition)).toBe(true);
  return ` (partitions ${(keys as string[]).join(', ')})`;
}

/** Every grant of a function as "action resource", PutItem marked when it is allowed in transactions only. */
function grantsOf(name: string): string[] {
  const fn = stateless.functions.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  const role = logicalId(stateless, fn.role);
  const ownLogGroup = logicalId(stateless, fn.logGroup);
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy') as Record<string, Resource>,
  ).filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]));
  const grants: string[] = [];
  for (const policy of policies) {
    for (const statement of (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
      expect(statement.Effect).toBe('Allow');
      const only = conditionLabel(statement.Condition);
      for (const action of list(statement.Action)) {
        for (const resource of list(statement.Resource))
          grants.push(`${action} ${label(resource, ownLogGroup)}${only}`);
      }
    }
  }
  return grants.sort();
}

/**
 * The cursor key, read at run time (shared/runtime/secrets.ts) by the functions that sign cursors
 * or count public writes (infra/function-access.ts cursorKeyReaders): CDK's grantRead.
 */
const CURSOR_KEY = ['secretsmanager:DescribeSecret cursor key', 'secretsmanager:GetSecretValue cursor key'];

/** What every function has: its own log streams, and X-Ray (which takes no resource). */
const basics = [
  'logs:CreateLogStream own log group',
  'logs:PutLogEvents own log group',
  'xray:PutTelemetryRecords *',
  'xray:PutTraceSegments *',
];

/** The calendar at run time (shared/runtime/calendar.ts): one Query on its partition. */
const CALENDAR = 'dynamodb:Query main (partitions BUREAU#calendar)';
/** And the configuration versions the application follows (shared/runtime/workflow-config.ts). */
const CALENDAR_CONFIG = 'dynamodb:Query main (partitions BUREAU#calendar, BUREAU#config)';
const CONFIG = 'dynamodb:Query main (partitions BUREAU#config)';
/** The documents bucket: objects under one prefix, and the key through S3 (infra/eia-function.ts bindBucket). */
const PUT_MATERIALS = ['s3:PutObject bucket materials/*', 'kms:GenerateDataKey documents key (via S3)'];
const GET_MATERIALS = ['s3:GetObject bucket materials/*', 'kms:Decrypt documents key (via S3)'];
const GET_DOCUMENTS = ['s3:GetObject bucket documents/*', 'kms:Decrypt documents key (via S3)'];
const PUT_DOCUMENTS = ['s3:PutObject bucket documents/*', 'kms:GenerateDataKey documents key (via S3)'];
/** An event-driven function's dead-letter queue (Lambda's on-failure destination). */
const deadLetters = (queue: string) => [
  `sqs:GetQueueAttributes ${queue}`,
  `sqs:GetQueueUrl ${queue}`,
  `sqs:SendMessage ${queue}`,
];

/** An entry of the access log: one Put in a transaction, on the AUDITLOG partition only. */
const ACCESS_LOG = 'dynamodb:PutItem main (in TransactWriteItems, partitions AUDITLOG*)';

/** Read off the handlers and the store by hand: what each function does with the tables. */
const expected: Record<string, string[]> = {
  'create-application': [
    'dynamodb:GetItem idempotency',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    CONFIG,
  ],
  // The calendar and configuration at run time: a Query on their partitions and nothing else of the table.
  // And an official's or the auditor's read entered in the access log: AUDITLOG only, no case.
  'get-application': ['dynamodb:GetItem main', CALENDAR_CONFIG, ACCESS_LOG],
  // And a search (q=): the find index, then what it found by key.
  'list-applications': [
    CALENDAR_CONFIG,
    ACCESS_LOG,
    'dynamodb:BatchGetItem main',
    'dynamodb:Query main/index/gsi1-owner',
    'dynamodb:Query main/index/gsi2-state',
    'dynamodb:Query main/index/gsi3-all',
    'dynamodb:Query main/index/gsi8-queue',
    'dynamodb:Query main/index/gsi9-find',
  ],
  'list-events': ['dynamodb:GetItem main', 'dynamodb:Query main', ACCESS_LOG],
  'public-notices': ['dynamodb:Query main'],
  // And the submission checks: HeadObject and the first bytes of each material's file.
  'take-action': [
    CALENDAR_CONFIG,
    'dynamodb:GetItem idempotency',
    'dynamodb:GetItem main',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    // The application's upload records (its own partition).
    'dynamodb:Query main',
    ...GET_MATERIALS,
  ],
  // The upload record and its idempotency record in one transaction; the presigned PUT.
  'create-upload': [
    CALENDAR_CONFIG,
    'dynamodb:GetItem idempotency',
    'dynamodb:GetItem main',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:Query main',
    ...PUT_MATERIALS,
  ],
  'list-materials': ['dynamodb:GetItem main', 'dynamodb:Query main'],
  // A download by an official is first recorded (AUDITLOG, one transaction); the presigned GET.
  'get-material': ['dynamodb:GetItem main', ACCESS_LOG, ...GET_MATERIALS],
  'public-notice': ['dynamodb:GetItem main', CALENDAR],
  'public-version': ['dynamodb:GetItem main', ...GET_MATERIALS],
  // No S3: the list is read off the application.
  'list-documents': ['dynamodb:GetItem main'],
  // The application, its event and the comment (or the comment answered) in one transaction.
  // And first its address's counter of public writes: UpdateItem on LIMIT# partitions only.
  // And an Idempotency-Key's record, read first and written with the comment.
  'public-comment': [
    'dynamodb:GetItem idempotency',
    'dynamodb:GetItem main',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:UpdateItem main (partitions LIMIT#*)',
  ],
  'list-comments': ['dynamodb:GetItem main', ACCESS_LOG, 'dynamodb:Query main'],
  'public-hearing-request': [
    CALENDAR_CONFIG,
    'dynamodb:GetItem idempotency',
    'dynamodb:GetItem main',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:UpdateItem main (partitions LIMIT#*)',
  ],
  'list-hearing-requests': ['dynamodb:GetItem main', ACCESS_LOG, 'dynamodb:Query main'],
  // The caller's own inbox (its partition is chosen by the token's subject in the function).
  inbox: ['dynamodb:GetItem main (partitions INBOX#*)', 'dynamodb:Query main (partitions INBOX#*)'],
  'inbox-read': [
    'dynamodb:GetItem main (partitions INBOX#*)',
    'dynamodb:PutItem main (in TransactWriteItems, partitions INBOX#*)',
  ],
  'respond-comment': ['dynamodb:GetItem main', 'dynamodb:PutItem main (in TransactWriteItems)'],
  'get-document': ['dynamodb:GetItem main', ACCESS_LOG, ...GET_DOCUMENTS],
  'public-document': ['dynamodb:GetItem main', 'dynamodb:Query main'],
  'public-document-file': ['dynamodb:GetItem main', ...GET_DOCUMENTS],
  // Renders each PDF once: the application and its trail, the PDF, its event; nothing of materials/.
  documents: [
    'dynamodb:GetItem main',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:Query main',
    ...PUT_DOCUMENTS,
    ...GET_DOCUMENTS,
    ...deadLetters('document failures'),
  ],
  // The upload record, then the record with its scan status; nothing from S3 at all.
  'scan-result': [
    'dynamodb:GetItem main',
    'dynamodb:PutItem main (in TransactWriteItems)',
    ...deadLetters('scan failures'),
  ],
  // The draft (with its idempotency record), its delete_draft event: one transaction; no S3 at all.
  'delete-application': [
    CALENDAR_CONFIG,
    'dynamodb:GetItem idempotency',
    'dynamodb:GetItem main',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
  ],
  'update-application': [
    'dynamodb:GetItem main',
    CALENDAR_CONFIG,
    'dynamodb:PutItem main (in TransactWriteItems)',
  ],
  workflow: [CONFIG],
  openapi: [],
  'audit-events': [
    ACCESS_LOG,
    'dynamodb:Query main',
    'dynamodb:Query main/index/gsi4-actor',
    'dynamodb:Query main/index/gsi5-action',
    'dynamodb:Query main/index/gsi6-day',
  ],
  'audit-verify': ['dynamodb:GetItem main', 'dynamodb:Query main'],
  'audit-digests': ['dynamodb:Query main'],
  'audit-access-log': ['dynamodb:Query main'],
  stats: ['dynamodb:BatchGetItem main', 'dynamodb:Query main/index/gsi5-action'],
  'audit-bureau-events': [ACCESS_LOG, 'dynamodb:Query main (partitions BUREAU)'],
  // The bureau stream: its head and its events, in the BUREAU partition; the digests' recorded head.
  'audit-bureau-verify': [
    'dynamodb:GetItem main (partitions BUREAU, DIGEST)',
    'dynamodb:Query main (partitions BUREAU, DIGEST)',
  ],
  'admin-calendar': [CALENDAR],
  // The stored years and the stream's head; the year, the head and the event in one transaction.
  'admin-calendar-year': [
    'dynamodb:GetItem main (partitions BUREAU, BUREAU#calendar)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:Query main (partitions BUREAU, BUREAU#calendar)',
  ],
  'admin-config': [CONFIG],
  // The stored versions and the stream's head; the new version, the head and the event in one transaction.
  'admin-update-config': [
    'dynamodb:GetItem main (partitions BUREAU, BUREAU#config)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:Query main (partitions BUREAU, BUREAU#config)',
  ],
  // The accounts are Cognito's, on the user pool only; a change is an event of the bureau stream.
  'admin-users': ['cognito-idp:AdminListGroupsForUser user pool', 'cognito-idp:ListUsers user pool'],
  'admin-invite-user': [
    'cognito-idp:AdminAddUserToGroup user pool',
    'cognito-idp:AdminCreateUser user pool',
    'cognito-idp:AdminListGroupsForUser user pool',
    'cognito-idp:ListUsers user pool',
    'dynamodb:GetItem idempotency',
    'dynamodb:GetItem main',
    'dynamodb:PutItem idempotency (in TransactWriteItems)',
    'dynamodb:PutItem main (in TransactWriteItems)',
  ],
  'admin-update-user': [
    'cognito-idp:AdminAddUserToGroup user pool',
    'cognito-idp:AdminDeleteUserAttributes user pool',
    'cognito-idp:AdminDisableUser user pool',
    'cognito-idp:AdminEnableUser user pool',
    'cognito-idp:AdminListGroupsForUser user pool',
    'cognito-idp:AdminRemoveUserFromGroup user pool',
    'cognito-idp:AdminUpdateUserAttributes user pool',
    'cognito-idp:AdminUserGlobalSignOut user pool',
    'cognito-idp:ListUsers user pool',
    'cognito-idp:ListUsersInGroup user pool',
    'dynamodb:GetItem main',
    'dynamodb:PutItem main (in TransactWriteItems)',
  ],
  // The stream (reads on the stream ARN only), the bus, and its dead-letter queue (the event source
  // mapping's on-failure destination). No table read or write at all.
  publisher: [
    'dynamodb:DescribeStream main stream',
    'dynamodb:GetRecords main stream',
    'dynamodb:GetShardIterator main stream',
    'dynamodb:ListStreams main stream',
    'events:PutEvents bus',
    'sqs:GetQueueAttributes publish failures',
    'sqs:GetQueueUrl publish failures',
    'sqs:SendMessage publish failures',
  ],
  // Looks people up; sends nothing without -c notifyFrom (ses:SendEmail: see notifications.test.ts).
  // and its on-failure destination (events it threw on after Lambda's retries).
  notifier: [
    'cognito-idp:ListUsers user pool',
    'cognito-idp:ListUsersInGroup user pool',
    // Each named user's inbox: its counter, then the entry and the counter in one transaction.
    'dynamodb:GetItem main (partitions INBOX#*)',
    'dynamodb:PutItem main (in TransactWriteItems, partitions INBOX#*)',
    // An application's hearing requests: the interested parties' e-mail contacts.
    'dynamodb:Query main',
    'sqs:GetQueueAttributes notify failures',
    'sqs:GetQueueUrl notify failures',
    'sqs:SendMessage notify failures',
  ],
  // Secrets Manager's rotation of the cursor key: the secret's versions and a new random key, nothing else.
  'rotate-cursor-key': [
    'secretsmanager:DescribeSecret cursor key',
    'secretsmanager:GetRandomPassword *',
    'secretsmanager:GetSecretValue cursor key',
    'secretsmanager:PutSecretValue cursor key',
    'secretsmanager:UpdateSecretVersionStage cursor key',
  ],
  sweeper: [
    // Deemed acceptance reads its acceptance notice's number counter.
    'dynamodb:GetItem main (partitions COUNTER)',
    'dynamodb:PutItem main (in TransactWriteItems)',
    'dynamodb:Query main',
    'dynamodb:Query main/index/gsi2-state',
    'dynamodb:Query main/index/gsi3-all',
    'dynamodb:Query main/index/gsi6-day',
    'dynamodb:Query main/index/gsi7-sweep',
  ],
};

/** Every Allow statement of every identity policy in both stacks. */
function allStatements(): { where: string; statement: Statement }[] {
  const found: { where: string; statement: Statement }[] = [];
  for (const t of [templates.stateful, templates.stateless]) {
    for (const [id, policy] of Object.entries(
      t.findResources('AWS::IAM::Policy') as Record<string, Resource>,
    )) {
      for (const statement of (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement) {
        found.push({ where: id, statement });
      }
    }
    for (const [id, role] of Object.entries(t.findResources('AWS::IAM::Role') as Record<string, Resource>)) {
      for (const policy of (role.Properties.Policies ?? []) as {
        PolicyDocument: { Statement: Statement[] };
      }[]) {
        for (const statement of policy.PolicyDocument.Statement) found.push({ where: id, statement });
      }
    }
  }
  // CDK's BucketDeployment handler (uploads the web console at deploy time, never called by the
  // API) comes with aws-cdk-lib's own grants; its cdk-nag findings are acknowledged in infra/web-console.ts.
  return found.filter(({ where, statement }) => statement.Effect === 'Allow' && !isConsoleUpload(where));
}

const isConsoleUpload = (logicalId: string) => logicalId.startsWith('CustomCDKBucketDeployment');

describe('function permissions', () => {
  it('the expected list covers every function', () => {
    expect(Object.keys(expected).sort()).toEqual([...stateless.functions.keys()].sort());
  });

  for (const [name, grants] of Object.entries(expected)) {
    it(`${name} has exactly the grants it uses`, () => {
      const key = (cursorKeyReaders as readonly string[]).includes(name) ? CURSOR_KEY : [];
      expect(grantsOf(name)).toEqual([...basics, ...grants, ...key].sort());
    });
  }

  it('no wildcard action anywhere; a wildcard resource only for X-Ray, an index, a bucket prefix, GuardDuty’s rule, a random key', () => {
    const xray = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
    for (const { where, statement } of allStatements()) {
      for (const action of list(statement.Action)) expect(action, where).not.toContain('*');
      for (const resource of list(statement.Resource)) {
        const text = JSON.stringify(resource);
        if (!text.includes('*') || /\/index\/\*"/.test(text)) continue;
        // The documents bucket's objects under one prefix, for S3 object actions only.
        if (/"\/(materials|documents)\/\*"/.test(text)) {
          for (const action of list(statement.Action))
            expect(action, `${where}: ${text}`).toMatch(/^s3:\w+Object\w*$/);
          continue;
        }
        // A random key for the cursor key's rotation: GetRandomPassword takes no resource.
        if (JSON.stringify(list(statement.Action)) === JSON.stringify(['secretsmanager:GetRandomPassword'])) {
          expect(resource, where).toBe('*');
          continue;
        }
        // GuardDuty's own managed rule, for the malware protection plan's role (documents.test.ts).
        if (text.includes('rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*')) {
          for (const action of list(statement.Action))
            expect(action, `${where}: ${text}`).toMatch(/^events:/);
          continue;
        }
        expect(resource, `${where}: ${text}`).toBe('*');
        expect([...list(statement.Action)].sort(), `${where}: ${text}`).toEqual(xray);
      }
    }
  });

  it('no function can delete or rewrite an item: only GetItem, BatchGetItem, Query, PutItem inside a transaction, and UpdateItem on a public write counter', () => {
    const streamReads = [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ];
    const dynamo = allStatements().filter(({ statement }) =>
      list(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    for (const { where, statement } of dynamo) {
      for (const action of list(statement.Action)) {
        if (streamReads.includes(action)) {
          // Reading the stream is reading what was written; only on a stream ARN.
          expect(JSON.stringify(statement.Resource), where).toMatch(/StreamArn/);
          continue;
        }
        expect(
          [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
          ],
          where,
        ).toContain(action);
        if (action === 'dynamodb:PutItem')
          expect(
            [IN_TRANSACTION, IN_TRANSACTION_ON_INBOXES, IN_TRANSACTION_ON_ACCESS_LOG],
            where,
          ).toContainEqual(statement.Condition);
        // A counter of the public write budget, never an application, event or notice (their
        // partitions are APP#…, NOTICES, …; none starts with LIMIT#).
        if (action === 'dynamodb:UpdateItem') {
          expect(statement.Condition, where).toEqual(ONLY_COUNTERS);
          expect(list(statement.Action), where).toEqual(['dynamodb:UpdateItem']);
        }
      }
    }
  });

  it('no role carries a managed policy (AWSLambdaBasicExecutionRole may write any log group)', () => {
    for (const [id, role] of Object.entries(
      template.findResources('AWS::IAM::Role') as Record<string, Resource>,
    )) {
      if (isConsoleUpload(id)) continue;
      // API Gateway's account-wide logging role (AWS::ApiGateway::Account): API Gateway alone assumes it.
      if (isApiGatewayLogging(role)) continue;
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });
});

/** The role only API Gateway may assume, to write its REST stages' access logs. */
function isApiGatewayLogging(role: Resource): boolean {
  const statements = (
    role.Properties.AssumeRolePolicyDocument as { Statement: { Principal?: { Service?: unknown } }[] }
  ).Statement;
  const managed = (role.Properties.ManagedPolicyArns ?? []) as unknown[];
  return (
    statements.every((s) => s.Principal?.Service === 'apigateway.amazonaws.com') &&
    managed.length === 1 &&
    JSON.stringify(managed).includes(':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs')
  );
}
