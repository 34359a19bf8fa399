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
  // Server access logs are let in by the log bucket's policy (logging.s3.amazonaws.com, for the
  // documents bucket only), not by an ACL: the log bucket has ACLs disabled.
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  const settings = stageSettings(app.node);
  const { stage } = settings;
  // Strong (exports): CloudFormation refuses to delete the tables' stack while functions use them.
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  const stateful = new StatefulStack(app, `Eia-${stage}-Stateful`, {
    settings,
    description: `Liling EIA approval (${stage}): tables and documents`,
  });
  const stateless = new StatelessStack(app, `Eia-${stage}-Stateless`, {
    settings,
    table: stateful.table,
    idempotencyTable: stateful.idempotencyTable,
    documents: stateful.documents,
    description: `Liling EIA approval (${stage}): functions, API, users, alarms`,
  });
  Tags.of(app).add('project', 'liling-eia-approval');
  Tags.of(app).add('stage', stage);
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, settings, stateful, stateless, nag };
}
