#!/usr/bin/env node
/**
 * `npm test`: the type check (tsc), the lint (eslint) and jest, run at the same time instead of one after the other.
 *
 * tsc and eslint take about 27 s of CPU together; jest takes the rest of the machine. Every check still runs to the
 * end, and `npm test` fails when any of them fails: a type error or a lint error fails it as before.
 *
 * On two cores (or one), jest runs in band and the two checks one after the other, beside it: each jest worker pays
 * its own start (loading aws-cdk-lib, building its CloudFormation validation engine, V8 warming up), so two workers
 * cost about 78 s of CPU where one process costs about 55 s, and three processes on two cores slow jest down. Measured
 * on the 2-core machine of docs/benchmarks.md, with cold tsc and eslint caches: 63 s in parallel (two jest workers,
 * tsc and eslint at once), 57 s this way. On more cores, jest keeps its workers (jest.config.js) and the checks run at
 * the same time. A worker option given to `npm test -- ...` (-i, --runInBand, -w, --maxWorkers) is left as it is.
 *
 * Arguments go to jest (`npm test -- --json --outputFile=x.json`, `npm test -- test/core`). jest's output streams as
 * it comes; the output of tsc and eslint is printed once each finishes, so the lines do not interleave.
 */
const { spawn } = require('child_process');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const bin = name => path.join(root, 'node_modules', '.bin', name);

/** Runs `command` with `args`; resolves to its exit code and, unless `live`, its buffered output. */
function run(name, command, args, live) {
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: root, stdio: live ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    let output = '';
    if (!live) {
      child.stdout.on('data', d => { output += d; });
      child.stderr.on('data', d => { output += d; });
    }
    child.on('error', e => resolve({ name, code: 1, output: `${output}${e.message}\n` }));
    child.on('close', (code, signal) => resolve({ name, code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Prints the buffered output of a check, under a header that says how it ended. */
function print(result) {
  const status = result.code === 0 ? 'ok' : `FAILED (exit code ${result.code})`;
  process.stderr.write(`\n::: ${result.name}: ${status}\n${result.output}`);
}

async function main() {
  const jestArgs = process.argv.slice(2);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const workersGiven = jestArgs.some(a => /^(-i|--runInBand|-w|--maxWorkers)(=|$)/.test(a));
  const small = cores <= 2;
  const typecheck = () => run('typecheck (tsc --noEmit -p tsconfig.json)', bin('tsc'),
    // Incremental: a rerun with unchanged files skips checking them again. The build info (typecheck.tsbuildinfo) is
    // git-ignored, and kept in the checkout rather than in node_modules, which several checkouts may share.
    ['--noEmit', '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', 'typecheck.tsbuildinfo'], false).then(r => { print(r); return r; });
  // The cache (.eslintcache, git-ignored) is keyed by file content, so a checkout or a merge cannot make it stale.
  const lint = () => run('lint (eslint --max-warnings 0 .)', bin('eslint'), ['--max-warnings', '0', '--cache', '--cache-strategy', 'content', '.'], false)
    .then(r => { print(r); return r; });
  const checks = [
    ...(small ? [typecheck().then(async t => [t, await lint()])] : [typecheck(), lint()]),
    run('jest', bin('jest'), small && !workersGiven ? ['--runInBand', ...jestArgs] : jestArgs, true),
  ];
  const results = (await Promise.all(checks)).flat();
  const failed = results.filter(r => r.code !== 0).map(r => r.name);
  if (failed.length > 0) {
    process.stderr.write(`\nnpm test failed: ${failed.join(', ')}\n`);
    process.exit(1);
  }
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
