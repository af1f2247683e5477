/**
 * One benchmark measurement, in a fresh process: builds `count` instances of one scenario's construct in
 * one stack, synthesizes the app, and prints a JSON line with the timings. CPU profiling attributes
 * self-time to this library's own files (lib/, not node_modules) so that the overhead of our code over
 * aws-cdk-lib's own work is measured, not guessed.
 *
 * Usage: [BENCH_NO_BUILTIN_VALIDATION=1] node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *   scripts/bench-worker.ts <scenario> <count> [--profile]
 */
import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as os from 'os';
import * as path from 'path';

import { BENCH_AZS, SCENARIOS } from './bench-scenarios';

interface ProfileNode { id: number; callFrame: { url: string }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const [scenarioName, countArg, flag] = process.argv.slice(2);
const scenario = SCENARIOS[scenarioName];
if (!scenario) {
  throw new Error(`unknown scenario '${scenarioName}'; one of ${Object.keys(SCENARIOS).join(', ')}`);
}
const count = Number(countArg ?? '1');
const profile = flag === '--profile';
const libDir = path.resolve(__dirname, '..', 'lib') + path.sep;
const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8'));

/** A stack whose zones are fixed, so that VPCs with default zones need no context lookup. */
class BenchStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    // The stack is synthesized, never deployed: 10 or 50 instances exceed CloudFormation's resource and
    // template-size limits, and the zones are literal on purpose.
    Validations.of(this).acknowledge(
      { id: 'CloudFormation-Validate::F0007', reason: 'benchmark stack: synthesized, never deployed' },
      { id: 'CloudFormation-Validate::W3010', reason: 'benchmark stack: fixed zones so that nothing is looked up' },
      { id: 'Annotation::@aws-cdk/core:Stack.templateSize', reason: 'benchmark stack: synthesized, never deployed' },
    );
  }

  public override get availabilityZones(): string[] {
    return BENCH_AZS;
  }
}

async function main(): Promise<void> {
  const session = new inspector.Session();
  if (profile) {
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const t0 = process.hrtime.bigint();
  const context = {
    ...cdkJson.context,
    // 50 instances exceed CloudFormation's 500 resources per stack; the bench measures synth, not deploy.
    '@aws-cdk/core:stackResourceLimit': 0,
  };
  // BENCH_NO_BUILTIN_VALIDATION=1 skips aws-cdk-lib's built-in CloudFormation validation (the WASM engine).
  // The feature flag `@aws-cdk/core:validateAgainstDefaultRules` does not: when false, the engine still runs
  // and only reports errors as warnings.
  const builtinCloudFormationValidation = !process.env.BENCH_NO_BUILTIN_VALIDATION;
  const app = new App({ outdir, context, analyticsReporting: false, builtinCloudFormationValidation });
  const stack = new BenchStack(app, 'Bench', { env: { account: '111111111111', region: 'us-east-1' } });
  for (let i = 0; i < count; i++) {
    scenario(stack, i);
  }
  const t1 = process.hrtime.bigint();
  const assembly = app.synth();
  const t2 = process.hrtime.bigint();
  let ownMs = 0;
  let profiledMs = 0;
  if (profile) {
    const { profile: p } = await post(session, 'Profiler.stop') as { profile: Profile };
    ({ ownMs, profiledMs } = attribute(p));
  }
  const resources = Object.keys(assembly.getStackByName('Bench').template.Resources ?? {}).length;
  fs.rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({
    scenario: scenarioName,
    count,
    resources,
    constructMs: Number(t1 - t0) / 1e6,
    synthMs: Number(t2 - t1) / 1e6,
    ownMs,
    profiledMs,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }) + '\n');
}

/** Self time of samples whose top frame is a file of this library, and the total sampled time. */
function attribute(p: Profile): { ownMs: number; profiledMs: number } {
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  let own = 0;
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const url = byId.get(id)?.callFrame.url ?? '';
    const file = url.startsWith('file://') ? url.slice('file://'.length) : url;
    if (file.startsWith(libDir) && !file.includes(`${path.sep}node_modules${path.sep}`)) own += dt;
  });
  return { ownMs: own / 1000, profiledMs: total / 1000 };
}

function post(session: inspector.Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => err ? reject(err) : resolve(res)));
}

main().catch(e => { console.error(e); process.exit(1); });
