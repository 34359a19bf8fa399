/**
 * The public write budget in AWS (shared/http/public-limit.ts): the main table expires its counters
 * by TTL, and the functions that may move a counter (UpdateItem on LIMIT#… partitions: their grants
 * are in function-permissions.test.ts) are exactly those given the stage's limit.
 */
import { describe, expect, it } from 'vitest';
import { mainTable } from '../../shared/store/table.ts';
import { logicalId, synthesize } from './synth.ts';

const { stateless, templates, settings } = synthesize();

type Resource = { Type: string; Properties: Record<string, any> };

function environmentOf(name: string): Record<string, unknown> {
  const fn = stateless.functions.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  const resource = templates.stateless.toJSON().Resources[logicalId(stateless, fn.fn)] as Resource;
  return resource.Properties.Environment?.Variables ?? {};
}

/** The functions whose role may call UpdateItem. */
function updaters(): string[] {
  const roles = Object.values(
    templates.stateless.findResources('AWS::IAM::Policy') as Record<string, Resource>,
  )
    .filter((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('dynamodb:UpdateItem'))
    .flatMap((policy) => (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref));
  return [...stateless.functions.values()]
    .filter((fn) => roles.includes(logicalId(stateless, fn.role)))
    .map((fn) => fn.name)
    .sort();
}

describe('the public write budget in AWS', () => {
  it('expires the counters by TTL on the main table (removeAfter)', () => {
    expect(mainTable.timeToLiveAttribute).toBe('removeAfter');
    templates.stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'test-eia-main',
      TimeToLiveSpecification: { AttributeName: 'removeAfter', Enabled: true },
    });
  });

  it('gives the public write functions the stage’s limit, and only they may move a counter', () => {
    const { requests, windowSeconds } = settings.publicWriteLimit;
    expect(environmentOf('public-comment')).toMatchObject({
      PUBLIC_WRITE_LIMIT: String(requests),
      PUBLIC_WRITE_WINDOW_SECONDS: String(windowSeconds),
    });
    const limited = [...stateless.functions.keys()]
      .filter((name) => environmentOf(name).PUBLIC_WRITE_LIMIT !== undefined)
      .sort();
    expect(limited).toContain('public-comment');
    expect(limited).toEqual(updaters());
  });

  it('takes a class from one school address in production, a smaller share elsewhere', async () => {
    const prod = synthesize({ context: { stage: 'prod' } }).settings.publicWriteLimit;
    expect(prod).toEqual({ requests: 120, windowSeconds: 600 });
    expect(settings.publicWriteLimit.requests).toBeLessThan(prod.requests);
  });
});
