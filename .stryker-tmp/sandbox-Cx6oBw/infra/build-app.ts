// @ts-nocheck
import { App, CrossStackReferences, ReferenceStrength, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stageSettings } from './stage-settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack } from './stateless-stack.ts';

/**
 * The CDK app: the stage and its settings from context (`-c stage=prod`), the data in one stack,
 * everything replaceable in the other, checked by cdk-nag on every synth.
 */
export function buildApp(app = new App()) {
  const settings = stageSettings(app.node);
  const { stage } = settings;
  // Strong (exports): CloudFormation refuses to delete the tables' stack while functions use them.
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  const stateful = new StatefulStack(app, `Eia-${stage}-Stateful`, {
    stage,
    description: `Liling EIA approval (${stage}): tables`,
  });
  const stateless = new StatelessStack(app, `Eia-${stage}-Stateless`, {
    settings,
    table: stateful.table,
    idempotencyTable: stateful.idempotencyTable,
    description: `Liling EIA approval (${stage}): functions, API, users, alarms`,
  });
  Tags.of(app).add('project', 'liling-eia-approval');
  Tags.of(app).add('stage', stage);
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, settings, stateful, stateless, nag };
}
