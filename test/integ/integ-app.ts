/**
 * What every integration test app (`test/integ.<architecture>.ts`) shares: the app with the project's
 * feature flags and the destroy-data flag, the environment, and a stack whose AZs are pinned.
 *
 * The apps are integ-runner test definitions: each builds its stacks under test plus an assertion stack
 * (`IntegTest` from `@aws-cdk/integ-tests-alpha`) whose assertions call the AWS APIs of what was deployed.
 * Deploy and verify one with a recent integ-runner, or with the CDK CLI:
 *
 *   npx cdk deploy --all --require-approval never \
 *     --app 'npx ts-node -r tsconfig-paths/register --transpile-only test/integ.streaming-data-lake.ts'
 *   npx cdk destroy --all --force --app '...same...'
 *
 * The assertion stack deploys last (it reads the outputs of the stacks under test). Every check is made with
 * `verify()` below: it retries the API call until the expected result matches, and fails the deployment
 * of the assertion stack when the time is up, so a plain `cdk deploy` fails on a failed check too (an
 * integ-runner also reports each result from the `AssertionResults...` outputs). An API call that AWS
 * rejects fails the deployment at once.
 *
 * `test/integ/snapshots.integ.ts` checks the synthesized templates without deploying.
 */
import { AwsApiCall, ExpectedResult, IApiCall } from '@aws-cdk/integ-tests-alpha';
import { App, AppProps, Duration, Environment, Stack, StackProps, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { testApp } from '../util/app';

/** Options of every integration test app. */
export interface IntegAppOptions {
  /**
   * Where the cloud assembly goes.
   * @default - the CDK CLI's CDK_OUTDIR, or a temporary directory
   */
  readonly outdir?: string;
  /**
   * Account and region of the stacks.
   * @default - `integEnv()`
   */
  readonly env?: Environment;
}

/** The context flag that lets `removalPolicy: DESTROY` take effect. */
export const REMOVE_DATA_ON_DESTROY = 'cdk-analytics-blueprints:removeDataOnDestroy';

/**
 * The account and region to deploy to: the CDK CLI's CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (from your
 * profile), with placeholders so that synth needs no credentials. Nothing is looked up.
 */
export function integEnv(): { account: string; region: string } {
  return {
    account: process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
    region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
  };
}

/**
 * An app with the feature flags of cdk.json, and with the context flag that lets constructs with
 * `removalPolicy: DESTROY` really delete their data, so that `cdk destroy` leaves (almost) nothing behind.
 */
export function integApp(options: IntegAppOptions = {}): App {
  const props: AppProps = {
    outdir: options.outdir,
    context: { [REMOVE_DATA_ON_DESTROY]: true },
  };
  return testApp(props);
}

/**
 * A stack whose Availability Zones are `<region>a`, `<region>b` and `<region>c` instead of a context
 * lookup (the CDK-documented way to pin them): `ec2.Vpc` reads the stack's AZs even when it is given
 * explicit ones. Zone names of your account may differ; the `a`/`b`/`c` names exist in every commercial region.
 */
export class IntegStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }

  public override get availabilityZones(): string[] {
    return Token.isUnresolved(this.region) ? super.availabilityZones : ['a', 'b', 'c'].map(z => `${this.region}${z}`);
  }
}

/** An IAM statement as integ-tests-alpha's providers take it. */
export interface IntegPolicyStatement {
  readonly Effect: 'Allow';
  readonly Action: string[];
  readonly Resource: string[];
}

/** Options of `verify`. */
export interface VerifyOptions {
  /**
   * How long the call is retried until its result matches.
   * @default Duration.minutes(5)
   */
  readonly totalTimeout?: Duration;
  /**
   * Time between two tries.
   * @default Duration.seconds(20)
   */
  readonly interval?: Duration;
  /**
   * Permissions the call needs besides the one integ-tests-alpha derives from the API name
   * (for example `s3:ListBucket` for `listObjectsV2`, or a KMS key).
   * @default - none
   */
  readonly policy?: IntegPolicyStatement[];
}

/**
 * Expects `expected` from the API call, retrying until it matches, and fails the deployment when it never
 * does: the state of a resource AWS has just created settles within minutes (a cluster leaves `modifying`,
 * a file lands in S3), and a mismatch then fails `cdk deploy` as well as the integ-runner.
 */
export function verify(call: IApiCall, expected: ExpectedResult, options: VerifyOptions = {}): AwsApiCall {
  const waited = call.expect(expected).waitForAssertions({
    totalTimeout: options.totalTimeout ?? Duration.minutes(5),
    interval: options.interval ?? Duration.seconds(20),
    backoffRate: 1,
  }) as AwsApiCall;
  for (const statement of options.policy ?? []) {
    waited.provider.addToRolePolicy(statement);
    waited.waiterProvider?.addToRolePolicy(statement);
  }
  return waited;
}
