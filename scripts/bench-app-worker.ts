/**
 * One measurement of the examples app for `npm run bench`, in a fresh process started the way cdk.json starts the
 * app (`node --require tsx/cjs`, or another runner given by scripts/bench.ts): where the time of `cdk synth` goes.
 * Prints a JSON line:
 *
 * - startupMs: from the process start to the first line of this script (node, the TypeScript runner's
 *   registration, and compiling this file);
 * - loadMs: loading the modules bin/app.ts imports (aws-cdk-lib, cdk-nag, this library, the examples) through the runner;
 * - constructMs: running bin/app.ts: every example stack built (this library's constructs and aws-cdk-lib's);
 * - synthMs: `app.synth()`, with aws-cdk-lib's built-in CloudFormation validation (as cdk.json) and, unless
 *   BENCH_NAG=0, the four cdk-nag packs as validation plugins;
 * - baselineMs (BENCH_BASELINE=1): the same resources (type, properties, dependencies of every resource of every
 *   synthesized template) as plain `CfnResource`s in a new app, constructed and synthesized the same way, in this
 *   process after the app (warm: aws-cdk-lib's modules and its validation engine are already loaded and built);
 *   with BENCH_BASELINE_OUT=<file>, the templates are also written there for a cold baseline;
 * - coldBaselineMs (BENCH_BASELINE_FROM=<file>): that baseline alone, in a fresh process that runs no app: aws-cdk-lib
 *   loaded (coldLoadMs), then the CfnResources constructed and synthesized (coldBaselineMs), paying the first-use costs
 *   (the validation engine's start, V8 compiling aws-cdk-lib's synthesis code) that the app's own synth pays too.

 * Usage: [BENCH_NAG=0] [BENCH_BASELINE=1 [BENCH_BASELINE_OUT=f]] | [BENCH_BASELINE_FROM=f] node --require tsx/cjs scripts/bench-app-worker.ts
 */
import { performance } from 'perf_hooks';

const startupMs = performance.now();
/** CPU milliseconds (user + system) of this process since `from`: robust against other load on the machine. */
const cpuSince = (from: NodeJS.CpuUsage): number => { const d = process.cpuUsage(from); return (d.user + d.system) / 1000; };
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('fs') as typeof import('fs');
const path = require('path') as typeof import('path');

const root = path.resolve(__dirname, '..');
const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf-8'));
const nag = process.env.BENCH_NAG !== '0';
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...cdkJson.context, nag });
delete process.env.CDK_OUTDIR; // no synth at exit: this script synthesizes, once

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[] }> };
interface SynthesizedStack { readonly name: string; readonly env: { account: string; region: string }; readonly template: Template }

/** The same templates as plain CfnResources in a new app, synthesized; the CloudFormation-Validate ids the library acknowledges. */
function synthesizeBaseline(cdk: typeof import('aws-cdk-lib'), stacks: SynthesizedStack[], acknowledged: string[]): void {
  const baseline = new cdk.App({ context: cdkJson.context, analyticsReporting: false });
  for (const s of stacks) {
    const stack = new cdk.Stack(baseline, s.name, { env: { account: s.env.account, region: s.env.region } });
    const resources = s.template.Resources ?? {};
    // Acknowledged stack-wide here: the baseline has the same templates, not the same constructs.
    cdk.Validations.of(stack).acknowledge(...acknowledged.map(id => ({ id, reason: 'acknowledged by the library on its resource' })));
    const made = new Map<string, import('aws-cdk-lib').CfnResource>();
    for (const [logicalId, r] of Object.entries(resources)) {
      const res = new cdk.CfnResource(stack, logicalId, { type: r.Type, properties: r.Properties });
      res.overrideLogicalId(logicalId);
      made.set(logicalId, res);
    }
    for (const [logicalId, r] of Object.entries(resources)) {
      for (const dep of [r.DependsOn ?? []].flat()) {
        const target = made.get(dep);
        if (target) made.get(logicalId)!.addResourceDependency(target);
      }
    }
  }
  const out = baseline.synth();
  fs.rmSync(out.directory, { recursive: true, force: true });
}

let result: Record<string, unknown>;
let stacks: SynthesizedStack[] = [];
const baselineFrom = process.env.BENCH_BASELINE_FROM;
if (baselineFrom) {
  // The cold baseline: no app in this process.
  const input = JSON.parse(fs.readFileSync(baselineFrom, 'utf-8')) as { stacks: SynthesizedStack[]; acknowledged: string[] };
  stacks = input.stacks;
  const l0 = performance.now();
  const lc0 = process.cpuUsage();
  const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const coldLoadMs = performance.now() - l0;
  const coldLoadCpuMs = cpuSince(lc0);
  const b0 = performance.now();
  const bc0 = process.cpuUsage();
  synthesizeBaseline(cdk, stacks, input.acknowledged);
  result = { nag: false, cold: true, startupMs, coldLoadMs, coldLoadCpuMs, coldBaselineMs: performance.now() - b0, coldBaselineCpuMs: cpuSince(bc0) };
} else {
  [result, stacks] = runApp();
}

function runApp(): [Record<string, unknown>, SynthesizedStack[]] {
  // 1. The modules bin/app.ts imports, loaded before it runs, so that running it is construction only.
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const startupCpuMs = (c0.user + c0.system) / 1000;
  const binApp = path.join(root, 'bin', 'app.ts');
  const specs = [...fs.readFileSync(binApp, 'utf-8').matchAll(/^import .* from '([^']+)';$/gm)].map(m => m[1]);
  for (const spec of specs) require(spec.startsWith('.') ? path.resolve(path.dirname(binApp), spec) : spec);
  const t1 = performance.now();
  const loadCpuMs = cpuSince(c0);
  const c1 = process.cpuUsage();

  // 2. bin/app.ts builds every example stack.
  const { app } = require(binApp) as { app: import('aws-cdk-lib').App };
  const t2 = performance.now();
  const constructCpuMs = cpuSince(c1);
  const c2 = process.cpuUsage();

  // 3. Synth.
  const assembly = app.synth();
  const t3 = performance.now();
  const synthCpuMs = cpuSince(c2);
  const stacks = assembly.stacks.map(s => ({ name: s.stackName, env: s.environment, template: s.template as Template }));
  fs.rmSync(app.outdir, { recursive: true, force: true });

  // 4. The same templates as plain CfnResources, warm (after the app, in this process).
  let baselineMs: number | undefined;
  let baselineCpuMs: number | undefined;
  if (process.env.BENCH_BASELINE === '1') {
    const cdk = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
    // The rules the library acknowledges on its resources (literal zones, EMR's own `${emr.clusterId}` variables, ...).
    const acknowledged = new Set<string>();
    for (const c of app.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data) {
          Object.keys(m.data as object).filter(id => id.startsWith('CloudFormation-Validate::')).forEach(id => acknowledged.add(id));
        }
      }
    }
    if (process.env.BENCH_BASELINE_OUT) {
      fs.writeFileSync(process.env.BENCH_BASELINE_OUT, JSON.stringify({ stacks, acknowledged: [...acknowledged] }));
    }
    const b0 = performance.now();
    const bc0 = process.cpuUsage();
    synthesizeBaseline(cdk, stacks, [...acknowledged]);
    baselineMs = performance.now() - b0;
    baselineCpuMs = cpuSince(bc0);
  }
  return [{
    nag, startupMs, loadMs: t1 - t0, constructMs: t2 - t1, synthMs: t3 - t2, baselineMs,
    startupCpuMs, loadCpuMs, constructCpuMs, synthCpuMs, baselineCpuMs,
  }, stacks];
}

const resources = stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
process.stdout.write(JSON.stringify({
  ...result, stacks: stacks.length, resources,
  totalCpuMs: cpuSince({ user: 0, system: 0 }), maxRssMiB: process.resourceUsage().maxRSS / 1024,
}) + '\n');
