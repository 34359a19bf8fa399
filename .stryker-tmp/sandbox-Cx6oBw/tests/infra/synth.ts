// @ts-nocheck
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';

export const STAGE = 'test';
export const CONSOLE_ORIGIN = 'https://eia.example.cn';
export const CONSOLE_CERTIFICATE =
  'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

/**
 * The app as `cdk synth -c stage=test -c consoleOrigin=…` builds it, synthesized once per test
 * file. Without `bundle`, CDK skips esbuild (a placeholder asset): the template is otherwise the same,
 * and only the bundle tests need the real code.
 */
export function synthesize(options: { bundle?: boolean; context?: Record<string, unknown> } = {}) {
  const context: Record<string, unknown> = {
    stage: STAGE,
    consoleOrigin: CONSOLE_ORIGIN,
    consoleCertificateArn: CONSOLE_CERTIFICATE,
    ...options.context,
  };
  if (!options.bundle) context['aws:cdk:bundling-stacks'] = [];
  const outdir = mkdtempSync(join(tmpdir(), 'eia-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const built = buildApp(new App({ context, outdir }));
  // Runs the validation plugins too: with an unacknowledged cdk-nag finding this throws.
  const assembly = built.app.synth();
  return {
    ...built,
    assembly,
    templates: {
      stateful: Template.fromStack(built.stateful),
      stateless: Template.fromStack(built.stateless),
    },
  };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(child as CfnResource)) throw new Error('no CloudFormation resource');
  return stack.getLogicalId(child as CfnResource);
}
