import { App, AppProps, Stack, StackProps, Stage } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as path from 'path';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')).context;

/** Account and region used by every test stack; never looked up. */
export const TEST_ENV = { account: '111111111111', region: 'us-east-1' };

/**
 * A CDK app with the project's feature flags and no version reporting, as `cdk synth` builds it:
 * aws-cdk-lib's built-in CloudFormation template validation runs (and fails on errors, as
 * `@aws-cdk/core:validateAgainstDefaultRules` is on). Use it for example stacks.
 */
export function testApp(props: AppProps = {}): App {
  // aws-cdk-lib 2.273 (the peer floor) has no builtinCloudFormationValidation prop and always validates: there, the
  // feature flag off makes the validation report warnings instead of failing on the made-up ids of such tests.
  const noValidation = props.builtinCloudFormationValidation === false ? { '@aws-cdk/core:validateAgainstDefaultRules': false } : {};
  return new App({
    analyticsReporting: false,
    ...props,
    context: { ...cdkJsonContext, ...NO_STACK_TRACES, ...noValidation, ...props.context },
  });
}

/**
 * No stack traces in construct metadata or on creation: the templates are the same, and capturing them costs
 * about a tenth of the suite's CPU under jest, which source-maps every captured frame (source-map-support).
 */
const NO_STACK_TRACES = { 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true, 'aws:cdk:disable-asset-staging': true };

/**
 * An app for the docs quickstarts (examples/*\/quickstart), which the docs tests synthesize to check that a snippet
 * needs no lookup and leaves no warning or cdk-nag finding: without the CloudFormation template validation (a WASM
 * engine, about half of each of these tests' time). The quickstarts' templates are validated where a user meets
 * them: CI's new-user app (`npm run test:consumer`) synthesizes every one with aws-cdk-lib's validation on.
 */
export function quickstartApp(): App {
  return testApp({ builtinCloudFormationValidation: false });
}

/**
 * A stack in a fresh test app, in a fixed account and region, for fine-grained assertions.
 *
 * The built-in CloudFormation template validation (a WASM engine that costs about 1.5 s per synth) is
 * off here unless `appProps` turns it on: the example tests run it on every example stack, and
 * fine-grained tests assert properties, so paying for it in each of them would only slow the suite.
 */
export function testStack(id = 'Test', props: StackProps = {}, appProps: AppProps = {}): Stack {
  return new Stack(testApp({ builtinCloudFormationValidation: false, treeMetadata: false, ...appProps }), id, { env: TEST_ENV, ...props });
}

/**
 * The context keys the synthesized app would have to look up (AZs, AMIs, VPCs…): empty when synth
 * needs no AWS call. Uses the app's cached assembly when the stack was already synthesized.
 */
export function missingContext(stack: Stack): string[] {
  return (Stage.of(stack)!.synth().manifest.missing ?? []).map(m => m.key);
}
