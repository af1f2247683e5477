#!/usr/bin/env node
/**
 * The examples app: `npx cdk synth` synthesizes every example stack.
 *
 * Account and regions come from the environment (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, as the CDK
 * CLI sets them from your profile, or BLUEPRINTS_ACCOUNT / BLUEPRINTS_REGION / BLUEPRINTS_DR_REGION),
 * with placeholders so that synth works with no AWS credentials at all. Nothing is looked up.
 *
 * The four cdk-nag packs are registered as validation plugins, so `cdk synth` fails on any finding that
 * a construct did not acknowledge (set the context `nag=false` to skip them while iterating).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { SecureDataBucketStack } from '../examples/secure-data-bucket';
import { EmrSpotStack } from '../examples/emr-spot';
import { EmrFleetsStack } from '../examples/emr-spot/fleets';

const app = new App();
const env = {
  account: process.env.BLUEPRINTS_ACCOUNT ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
  region: process.env.BLUEPRINTS_REGION ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
};

new SecureDataBucketStack(app, 'SecureDataBucket', { env });

// EMR on EC2: On-Demand primary/core, Spot task nodes; uniform instance groups and instance fleets.
new EmrSpotStack(app, 'EmrSpot', { env });
new EmrFleetsStack(app, 'EmrFleets', { env });

if (app.node.tryGetContext('nag') !== false && app.node.tryGetContext('nag') !== 'false') {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
  );
}
