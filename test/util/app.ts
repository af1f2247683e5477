import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Stack, StackProps } from 'aws-cdk-lib';

/** The feature flags of cdk.json, so tests synthesize exactly what `cdk synth` does. */
const cdkJsonContext: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf-8')).context;

/** Account and region used by every test stack; never looked up. */
export const TEST_ENV = { account: '111111111111', region: 'us-east-1' };

/** A CDK app with the project's feature flags and no version reporting, for tests. */
export function testApp(props: AppProps = {}): App {
  return new App({
    ...props,
    analyticsReporting: false,
    context: { ...cdkJsonContext, ...props.context },
  });
}

/** A stack in a fresh test app, in a fixed account and region. */
export function testStack(id = 'Test', props: StackProps = {}, appProps: AppProps = {}): Stack {
  return new Stack(testApp(appProps), id, { env: TEST_ENV, ...props });
}
