/**
 * `npm run bench`: how long `cdk synth` takes and how much memory it needs, and how synth time grows with
 * the number of instances of each construct. Writes docs/benchmarks.md (commit the output of a real run).
 *
 * 1. Scaling: for every scenario of scripts/bench-scenarios.ts and 1, 10 and 50 instances in one stack,
 *    scripts/bench-worker.ts runs in a fresh process with the CPU profiler on, and reports construct
 *    time, synth time, peak RSS and the CPU self-time spent in this library's own files (lib/). Twice:
 *    without aws-cdk-lib's built-in CloudFormation validation (the constructs and aws-cdk-lib's synthesis
 *    alone: growth and overhead), and with it, as cdk.json runs it (what a user waits for).
 * 2. The examples app: wall time and peak RSS of `cdk synth --quiet` (the CLI and the app it runs), of the
 *    app process alone (with cdk.json's context, as the CLI passes it) under tsx (cdk.json), ts-node in
 *    transpile-only mode and a type-checking ts-node; then the split of the app's time (scripts/bench-app-worker.ts):
 *    runner start-up, module loading, construct code, synth, the four nag packs, and the same templates as plain
 *    CfnResources (the aws-cdk-lib baseline).
 *
 * Not part of `npm test` or CI: it takes minutes and its figures depend on the machine.
 *
 * Environment: BENCH_REPEATS (runs per 1 and 10 instances without built-in validation and per app
 * measurement, default 3), BENCH_REPEATS_50 (runs per 50 instances without it, default 1), BENCH_REPEATS_VALIDATED
 * (runs per count with built-in validation, default 1): the defaults keep the whole bench near 10 minutes on 2 cores;
 * BENCH_SCENARIOS (comma-separated subset), BENCH_SKIP_APP=1 (no examples-app measurements), BENCH_OUT (output file, default docs/benchmarks.md).
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { SCENARIOS } from './bench-scenarios';

const root = path.resolve(__dirname, '..');
const COUNTS = [1, 10, 50];
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const REPEATS_50 = Number(process.env.BENCH_REPEATS_50 ?? 1);
const REPEATS_VALIDATED = Number(process.env.BENCH_REPEATS_VALIDATED ?? 1);

/** The two scaling passes. */
interface Mode { key: string; title: string; env: NodeJS.ProcessEnv; repeats: (count: number) => number }
const MODES: Mode[] = [
  {
    key: 'lean',
    title: 'without aws-cdk-lib\'s built-in CloudFormation validation',
    env: { BENCH_NO_BUILTIN_VALIDATION: '1' },
    repeats: count => count >= 50 ? REPEATS_50 : REPEATS,
  },
  {
    key: 'validated',
    title: 'with aws-cdk-lib\'s built-in CloudFormation validation (as cdk.json synthesizes)',
    env: {},
    repeats: () => REPEATS_VALIDATED,
  },
];
interface Scaling { mode: Mode; name: string; count: number; runs: WorkerResult[] }
/** Overhead target: our self-time at most 25% of aws-cdk-lib's (the constructs within 1.25x). */
const OVERHEAD_TARGET = 0.25;
/** Marginal cost per instance from 10 to 50 above this multiple of the one from 1 to 10 is flagged. */
const NONLINEAR_FACTOR = 1.5;
const OUT = path.resolve(root, process.env.BENCH_OUT ?? 'docs/benchmarks.md');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
/** The TypeScript runner of cdk.json (`node --require tsx/cjs bin/app.ts`). */
const TSX = ['--require', 'tsx/cjs'];

interface WorkerResult {
  scenario: string; count: number; resources: number;
  constructMs: number; synthMs: number; ownMs: number; profiledMs: number; maxRssMiB: number;
  wallMs: number;
}
interface ProcessResult { wallMs: number; maxRssMiB?: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { res: SpawnSyncReturns<string>; wallMs: number } {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(cmd, args, { cwd: root, encoding: 'utf-8', env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${res.status ?? res.signal}):\n${(res.stderr ?? '').slice(-4000)}`);
  }
  return { res, wallMs };
}

/** GNU time gives the peak RSS of the largest process of the tree it waits for (`%M`, KiB). */
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ProcessResult {
  if (!GNU_TIME) return { wallMs: run(cmd, args, env).wallMs };
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}`);
  const { wallMs } = run(GNU_TIME, ['-f', '%M', '-o', rssFile, cmd, ...args], env);
  const kib = Number(fs.readFileSync(rssFile, 'utf-8').trim().split('\n').pop());
  fs.rmSync(rssFile, { force: true });
  return { wallMs, maxRssMiB: kib / 1024 };
}

function worker(scenario: string, count: number, env: NodeJS.ProcessEnv): WorkerResult {
  const { res, wallMs } = run(process.execPath, [...TS_NODE, path.join(__dirname, 'bench-worker.ts'), scenario, String(count), '--profile'], env);
  const line = res.stdout.trim().split('\n').pop() ?? '';
  return { ...JSON.parse(line), wallMs };
}

function cpuModel(): string {
  const m = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf-8'));
  return m ? m[1].trim() : os.cpus()[0]?.model ?? 'unknown';
}

function memTotal(): string {
  const m = /^MemTotal:\s*(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf-8'));
  return m ? `${(Number(m[1]) / 1024 / 1024).toFixed(1)} GiB` : `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
}

function nproc(): string {
  const r = spawnSync('nproc', { encoding: 'utf-8' });
  return r.status === 0 ? r.stdout.trim() : String(os.cpus().length);
}

const f0 = (x: number): string => x.toFixed(0);
const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const load = (): string => os.loadavg().map(f2).join(' / ');
const range = (xs: number[], f: (x: number) => string): string =>
  xs.length > 1 ? `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})` : f(xs[0]);

function main(): void {
  const started = new Date();
  const t0 = Date.now();
  const loadStart = load();
  const names = process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',') : Object.keys(SCENARIOS);

  // 1. Scaling, one fresh process per run.
  const scaling: Scaling[] = [];
  for (const mode of MODES) {
    for (const name of names) {
      for (const count of COUNTS) {
        const repeats = mode.repeats(count);
        const runs: WorkerResult[] = [];
        for (let r = 0; r < repeats; r++) {
          const w = worker(name, count, mode.env);
          runs.push(w);
          console.error(`[${mode.key}] ${name} x${count} run ${r + 1}/${repeats}: construct ${f0(w.constructMs)} ms, `
            + `synth ${f0(w.synthMs)} ms, own ${f1(w.ownMs)} ms, ${w.resources} resources, ${f0(w.maxRssMiB)} MiB`);
        }
        scaling.push({ mode, name, count, runs });
      }
    }
  }

  // 2. The examples app.
  const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf-8'));
  const appEnv = (outdir: string): NodeJS.ProcessEnv => ({ CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(cdkJson.context) });
  const withOutdir = <T>(fn: (outdir: string) => T): T => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-app-'));
    try { return fn(outdir); } finally { fs.rmSync(outdir, { recursive: true, force: true }); }
  };
  const appRuns: { label: string; command: string; runs: ProcessResult[] }[] = [];
  const splits: (AppSplit & { runner: string })[] = [];
  const measure = (label: string, command: string, repeats: number, fn: (outdir: string) => ProcessResult): void => {
    const runs: ProcessResult[] = [];
    for (let r = 0; r < repeats; r++) {
      const p = withOutdir(fn);
      runs.push(p);
      console.error(`${label} run ${r + 1}/${repeats}: ${f0(p.wallMs)} ms, ${p.maxRssMiB === undefined ? '?' : f0(p.maxRssMiB)} MiB`);
    }
    appRuns.push({ label, command, runs });
  };
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  if (!process.env.BENCH_SKIP_APP) {
    measureApp();
  }
  function measureApp(): void {
    measure('`cdk synth --quiet` (CLI + app, cdk-nag packs on)', 'npx cdk synth --quiet --output <temp dir>', REPEATS,
      outdir => timed(cdk, ['synth', '--quiet', '--output', outdir]));
    measure('app process alone, tsx (as in cdk.json)', 'node --require tsx/cjs bin/app.ts', REPEATS,
      outdir => timed(process.execPath, [...TSX, 'bin/app.ts'], appEnv(outdir)));
    measure('app process alone, ts-node transpile-only (cdk.json before tsx)',
      'node -r ts-node/register/transpile-only -r tsconfig-paths/register bin/app.ts', REPEATS,
      outdir => timed(process.execPath, [...TS_NODE, 'bin/app.ts'], appEnv(outdir)));
    measure('app process alone, type-checking ts-node',
      'TS_NODE_TYPE_CHECK=true node -r ts-node/register -r tsconfig-paths/register bin/app.ts', 1,
      outdir => timed(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'bin/app.ts'],
        { ...appEnv(outdir), TS_NODE_TYPE_CHECK: 'true' }));
    // Where the time goes: scripts/bench-app-worker.ts, with the packs on, and off with the plain baseline.
    for (const [runner, args] of [['tsx', TSX], ['ts-node transpile-only', TS_NODE]] as const) {
      for (let r = 0; r < REPEATS; r++) {
        // The templates of the run without packs go to a file, for the cold baseline in a process of its own.
        const templates = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-')), 'templates.json');
        for (const env of [{ BENCH_NAG: '1' }, { BENCH_NAG: '0', BENCH_BASELINE: '1', BENCH_BASELINE_OUT: templates },
          { BENCH_BASELINE_FROM: templates }]) {
          const { res } = run(process.execPath, [...args, path.join(__dirname, 'bench-app-worker.ts')], env);
          const split = JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as AppSplit;
          splits.push({ runner, ...split });
          console.error(`split (${runner}, ${split.cold ? 'cold baseline' : `nag ${split.nag}`}) run ${r + 1}/${REPEATS}: cpu ${f0(split.totalCpuMs)} ms`);
        }
        fs.rmSync(path.dirname(templates), { recursive: true, force: true });
      }
    }
  }

  const totalS = (Date.now() - t0) / 1000;
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, report({ started, totalS, loadStart, loadEnd: load(), scaling, appRuns, splits }));
  console.error(`wrote ${path.relative(root, OUT)} (bench took ${f0(totalS)} s)`);
}

interface Report {
  started: Date; totalS: number; loadStart: string; loadEnd: string;
  scaling: Scaling[];
  appRuns: { label: string; command: string; runs: ProcessResult[] }[];
  splits: (AppSplit & { runner: string })[];
}

/** What scripts/bench-app-worker.ts prints: wall (`*Ms`) and CPU (`*CpuMs`) milliseconds of each phase. */
interface AppSplit {
  nag: boolean; stacks: number; resources: number;
  startupMs: number; loadMs: number; constructMs: number; synthMs: number; baselineMs?: number;
  startupCpuMs: number; loadCpuMs: number; constructCpuMs: number; synthCpuMs: number; baselineCpuMs?: number; totalCpuMs: number;
  /** The cold baseline's run (BENCH_BASELINE_FROM): aws-cdk-lib's loading, then the baseline's construct + synth. */
  cold?: boolean; coldLoadMs?: number; coldLoadCpuMs?: number; coldBaselineMs?: number; coldBaselineCpuMs?: number;
}

function report(r: Report): string {
  const pkg = (name: string): string => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf-8')).version;
  const out: string[] = [];
  const p = (s = ''): void => { out.push(s); };
  p('# Benchmarks');
  p();
  p(`Generated by \`npm run bench\` (scripts/bench.ts) on ${r.started.toISOString()}; the whole bench took ${f0(r.totalS)} s.`);
  p('Do not edit by hand: run the bench again and commit its output.');
  p();
  p('## Machine');
  p();
  p(`- nproc: ${nproc()}`);
  p(`- CPU: ${cpuModel()} (${os.arch()})`);
  p(`- memory: ${memTotal()}`);
  p(`- node ${process.version}, aws-cdk-lib ${pkg('aws-cdk-lib')}, aws-cdk (CLI) ${pkg('aws-cdk')}, tsx ${pkg('tsx')}, ts-node ${pkg('ts-node')}, typescript ${pkg('typescript')}`);
  p(`- load average (1 / 5 / 15 min) at start: ${r.loadStart}; at end: ${r.loadEnd}. Other processes shared the machine`
    + ' when the load exceeds the number of CPUs; absolute times are then inflated, ratios less so.');
  p();
  p('## The examples app');
  p();
  p('Every example stack of bin/app.ts. Wall time of the whole process (module loading included); peak RSS is GNU time\'s');
  p('`%M`: the largest single process of the tree (for `cdk synth`, the app process or the CLI, whichever is larger).');
  p('The app alone gets cdk.json\'s context in `CDK_CONTEXT_JSON` and a temporary `CDK_OUTDIR`, as the CLI passes them (the');
  p('CLI also turns on path and asset metadata and version reporting, which the app alone runs without).');
  p();
  p('| measurement | command | runs | wall s, median (min–max) | peak RSS MiB, median |');
  p('|---|---|---|---|---|');
  for (const a of r.appRuns) {
    const rss = a.runs.map(x => x.maxRssMiB).filter((x): x is number => x !== undefined);
    p(`| ${a.label} | \`${a.command}\` | ${a.runs.length} | ${range(a.runs.map(x => x.wallMs / 1000), f1)} | ${rss.length ? f0(median(rss)) : 'n/a'} |`);
  }
  const tTsx = r.appRuns[1] && median(r.appRuns[1].runs.map(x => x.wallMs));
  const tOnly = r.appRuns[2] && median(r.appRuns[2].runs.map(x => x.wallMs));
  const tCheck = r.appRuns[3] && median(r.appRuns[3].runs.map(x => x.wallMs));
  if (tTsx && tOnly && tCheck) {
    p();
    p(`tsx saves ${f1((tOnly - tTsx) / 1000)} s over ts-node in transpile-only mode; type-checking on every synth would cost`
      + ` ${f1((tCheck - tTsx) / 1000)} s more (${f2(tCheck / tTsx)}x): cdk.json runs the app with tsx, which does not type-check;`
      + ' `npm run typecheck` (tsc) and `npm test` check the types instead.');
  }
  if (r.splits.length) {
    p();
    p('### Where the examples app\'s time goes');
    p();
    p('scripts/bench-app-worker.ts runs the app in one process and times each phase: start-up (node, the TypeScript runner\'s');
    p('registration), loading the modules bin/app.ts imports through the runner, constructing every example stack, and');
    p('`app.synth()` (with aws-cdk-lib\'s built-in CloudFormation validation, as cdk.json), with the four cdk-nag packs and');
    p('without; the nag packs\' cost is the difference. The baseline builds the same resources (type, properties and');
    p('dependencies of every resource of every synthesized template) as plain `CfnResource`s in a new app and synthesizes');
    p('it the same way, twice: warm, in the same process after the app, where it finds aws-cdk-lib\'s modules and the');
    p('template-validation engine already loaded and compiled (a lower bound of its time, so the ratio over it is an upper');
    p('bound); and cold, in a process of its own that runs no app, which pays the first-use costs (the validation engine\'s');
    p('start, V8 compiling aws-cdk-lib\'s synthesis code) that the app\'s own synth pays too: the like-for-like comparison.');
    p('Both ratios are the L2/L3 layers\' cost over plain resources, aws-cdk-lib\'s and this library\'s together; the');
    p('library\'s own share is `own` in the scaling tables below. CPU ms (user + system of the process) are robust against');
    p('other load on the machine; wall ms are what a user waits for. Medians of the runs.');
    p();
    p('| runner | phase | CPU ms | wall ms |');
    p('|---|---|---|---|');
    for (const runner of [...new Set(r.splits.map(x => x.runner))]) {
      const on = r.splits.filter(x => x.runner === runner && x.nag);
      const off = r.splits.filter(x => x.runner === runner && !x.nag && !x.cold);
      const cold = r.splits.filter(x => x.runner === runner && x.cold);
      const m = (xs: AppSplit[], k: keyof AppSplit): number => median(xs.map(x => x[k] as number));
      const row = (phase: string, cpu: number, wall: number): void => { p(`| ${runner} | ${phase} | ${f0(cpu)} | ${f0(wall)} |`); };
      row('start-up (node + runner)', m(off, 'startupCpuMs'), m(off, 'startupMs'));
      row('module loading through the runner', m(off, 'loadCpuMs'), m(off, 'loadMs'));
      row('constructs (this library + aws-cdk-lib)', m(off, 'constructCpuMs'), m(off, 'constructMs'));
      row('synth, nag packs off', m(off, 'synthCpuMs'), m(off, 'synthMs'));
      row('the four nag packs (synth on − off)', m(on, 'synthCpuMs') - m(off, 'synthCpuMs'), m(on, 'synthMs') - m(off, 'synthMs'));
      row('baseline: same resources as CfnResource, construct + synth', m(off, 'baselineCpuMs'), m(off, 'baselineMs'));
      const ours = m(off, 'constructCpuMs') + m(off, 'synthCpuMs');
      p(`| ${runner} | constructs + synth over the warm baseline (upper bound) | ${f2(ours / m(off, 'baselineCpuMs'))}x | |`);
      if (cold.length) {
        row('cold baseline, own process: loading aws-cdk-lib', m(cold, 'coldLoadCpuMs'), m(cold, 'coldLoadMs'));
        row('cold baseline, own process: same resources as CfnResource, construct + synth', m(cold, 'coldBaselineCpuMs'), m(cold, 'coldBaselineMs'));
        p(`| ${runner} | constructs + synth over the cold baseline | ${f2(ours / m(cold, 'coldBaselineCpuMs'))}x | |`);
      }
    }
  }
  p();
  p('## Scaling: N instances of one construct in one stack');
  p();
  p('Each row: scripts/bench-worker.ts in a fresh process builds N instances of the construct with its defaults (only');
  p('required props given; see scripts/bench-scenarios.ts) in one stack and synthesizes it with cdk.json\'s context and');
  p('without the cdk-nag packs. Every instance that needs a VPC creates its own (the default); none is shared. The stack');
  p('overrides `availabilityZones` (us-east-1a/b/c), so nothing is looked up, and acknowledges the resource-count and');
  p('template-size limits (it is never deployed). Stack-level singletons (the custom resource provider that closes the');
  p('default security group of a new VPC) exist once per stack, so resources per instance drop slightly with N.');
  p();
  p('Two passes. Without aws-cdk-lib\'s built-in CloudFormation validation (`App({ builtinCloudFormationValidation:');
  p('false })`): the constructs and aws-cdk-lib\'s own synthesis, where growth and our overhead show. With it, as');
  p('cdk.json synthesizes: the validation is a WASM engine that runs on every synth (the feature flag');
  p('`@aws-cdk/core:validateAgainstDefaultRules` only decides whether its findings are errors or warnings) and costs');
  p('seconds, most of what a user waits for.');
  p();
  p('- construct / synth: milliseconds spent in the constructors, then in `app.synth()`; their sum is the synth time on');
  p('  top of loading the modules. Every run has the V8 sampling profiler on (100 µs interval), which inflates all');
  p('  times somewhat, ours and aws-cdk-lib\'s alike.');
  p('- own: CPU self-time of samples whose top frame is a file of lib/ (this library), out of the profiled time');
  p('  (construct + synth). overhead = own / (profiled − own): our time over aws-cdk-lib\'s (and node\'s) for the same');
  p(`  resources; the target is ≤ ${pct(OVERHEAD_TARGET)} (the constructs within ${1 + OVERHEAD_TARGET}x of aws-cdk-lib).`);
  p('- Each figure is the median of the runs, taken per column.');
  for (const mode of MODES) {
    const rows = r.scaling.filter(s => s.mode === mode);
    if (!rows.length) continue;
    p();
    p(`### ${mode.title[0].toUpperCase()}${mode.title.slice(1)}`);
    p();
    p('| construct | N | runs | resources | construct ms | synth ms | construct + synth ms | per instance ms | own ms | overhead | peak RSS MiB |');
    p('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const s of rows) {
      const m = (k: keyof WorkerResult): number => median(s.runs.map(x => x[k] as number));
      const total = median(s.runs.map(x => x.constructMs + x.synthMs));
      const overhead = median(s.runs.map(x => x.ownMs / (x.profiledMs - x.ownMs)));
      p(`| ${s.name} | ${s.count} | ${s.runs.length} | ${m('resources')} | ${f0(m('constructMs'))} | ${f0(m('synthMs'))} | ${f0(total)} | `
        + `${f0(total / s.count)} | ${f1(m('ownMs'))} | ${pct(overhead)}${overhead > OVERHEAD_TARGET ? ' ⚠' : ''} | ${f0(m('maxRssMiB'))} |`);
    }
    p();
    p('Growth: marginal cost of one more instance from the medians above, (T10 − T1) / 9 and (T50 − T10) / 40, with');
    p(`T = construct + synth ms; flagged non-linear when the second exceeds ${NONLINEAR_FACTOR}x the first.`);
    p();
    p('| construct | resources per instance (1 / 10 / 50) | ms per added instance, 1→10 | ms per added instance, 10→50 | ratio | growth |');
    p('|---|---|---|---|---|---|');
    const byName = new Map<string, Map<number, WorkerResult[]>>();
    for (const s of rows) {
      if (!byName.has(s.name)) byName.set(s.name, new Map());
      byName.get(s.name)!.set(s.count, s.runs);
    }
    const flagged: string[] = [];
    for (const [name, counts] of byName) {
      const T = (n: number): number | undefined => counts.has(n) ? median(counts.get(n)!.map(x => x.constructMs + x.synthMs)) : undefined;
      const R = (n: number): string => counts.has(n) ? f1(median(counts.get(n)!.map(x => x.resources)) / n) : 'n/a';
      const [t1, t10, t50] = [T(1), T(10), T(50)];
      if (t1 === undefined || t10 === undefined || t50 === undefined) continue;
      const a = (t10 - t1) / 9;
      const b = (t50 - t10) / 40;
      // With a non-positive first slope, noise swamps the 1→10 difference: no ratio can be formed.
      const ratio = a > 0 ? b / a : undefined;
      const nonLinear = ratio !== undefined && ratio > NONLINEAR_FACTOR;
      if (nonLinear) flagged.push(name);
      const verdict = ratio === undefined ? 'inconclusive (1→10 within noise)' : nonLinear ? '**non-linear**' : 'linear';
      p(`| ${name} | ${R(1)} / ${R(10)} / ${R(50)} | ${f0(a)} | ${f0(b)} | ${ratio === undefined ? 'n/a' : f2(ratio)} | ${verdict} |`);
    }
    p();
    p(flagged.length ? `Flagged non-linear ${mode.title}: ${flagged.join(', ')}.` : `No construct flagged non-linear ${mode.title}.`);
  }
  p();
  return out.join('\n');
}

main();
