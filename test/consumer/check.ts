/**
 * The verdict of scripts/consumer-check.sh on a new user's app: `cdk synth` passed (so the four cdk-nag packs found
 * nothing and the type-check passed), the assembly needs no context lookup, and neither the assembly nor the CLI
 * reports a warning. Prints every problem, and the CLI output when there is one.
 *
 * Usage: tsx test/consumer/check.ts <app dir> <exit status of cdk synth>
 */
import * as fs from 'fs';
import * as path from 'path';

interface MetadataEntry { type: string; data?: unknown }
interface Manifest {
  missing?: { key: string; provider: string }[];
  artifacts?: Record<string, { type: string; metadata?: Record<string, MetadataEntry[]> }>;
}

/** Lines of the CLI output that report a warning (annotations print as `[Warning at /Path] ...`). */
export function warningLines(log: string): string[] {
  return log.split('\n').filter(l => /\[Warning at |\bwarning\b/i.test(l));
}

/** The warnings and errors recorded in a cloud assembly's stack artifacts, one line each. */
export function assemblyProblems(manifest: Manifest): string[] {
  const out: string[] = [];
  for (const m of manifest.missing ?? []) {
    out.push(`context lookup needed: ${m.key} (${m.provider})`);
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    for (const [constructPath, entries] of Object.entries(artifact.metadata ?? {})) {
      for (const e of entries) {
        if (e.type === 'aws:cdk:warning' || e.type === 'aws:cdk:error') {
          out.push(`${id}: ${e.type.replace('aws:cdk:', '')} at ${constructPath}: ${String(e.data)}`);
        }
      }
    }
  }
  return out;
}

function main(): void {
  const [appDir, status] = process.argv.slice(2);
  const log = fs.readFileSync(path.join(appDir, 'synth.log'), 'utf-8');
  const problems: string[] = [];
  if (status !== '0') problems.push(`cdk synth failed (exit status ${status})`);
  const manifestPath = path.join(appDir, 'cdk.out', 'manifest.json');
  if (fs.existsSync(manifestPath)) {
    problems.push(...assemblyProblems(JSON.parse(fs.readFileSync(manifestPath, 'utf-8')) as Manifest));
  } else {
    problems.push('no cloud assembly (cdk.out/manifest.json)');
  }
  problems.push(...warningLines(log).map(l => `CLI: ${l.trim()}`));
  const stacks = fs.existsSync(manifestPath)
    ? Object.values((JSON.parse(fs.readFileSync(manifestPath, 'utf-8')) as Manifest).artifacts ?? {})
      .filter(a => a.type === 'aws:cloudformation:stack').length
    : 0;
  if (problems.length) {
    console.error(`consumer-check: FAILED, ${problems.length} problem(s):\n  ${[...new Set(problems)].join('\n  ')}`);
    console.error(`--- cdk synth output ---\n${log}`);
    process.exit(1);
  }
  console.error(`consumer-check: ok, ${stacks} stacks synthesized with the four cdk-nag packs, no lookup, no warning`);
}

main();
