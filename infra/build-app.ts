import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stateful-stack.ts';

/** The CDK app, stage from context (`-c stage=prod`), checked by cdk-nag on every synth. */
export function buildApp(app = new App()) {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const stateful = new StatefulStack(app, `Eia-${stage}-Stateful`, { stage });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful };
}
