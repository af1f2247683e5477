/**
 * Jest glue: one test per access path, named by its expectation, principal, action and resource; a failing
 * path prints the principal, the action, the resource and the deciding statement (or "no statement allows
 * it"). A path with a `knownDefect` runs as `test.failing`: it stays green while the defect is there and
 * turns red the day the fix lands.
 */
import * as fs from 'fs';

import { AccessModel, AccessPath } from './model';

/** Shortens an ARN for a test name: the resource part only. */
function shortArn(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 5 ? parts.slice(5).join(':') : arn;
}

/** The test name of a path. */
export function pathName(model: AccessModel, p: AccessPath): string {
  return `${p.expect} ${model.label(p.principal)} ${p.action} ${shortArn(p.resource)}: ${p.why}`;
}

/** Appends the path and its outcome to `$ACCESS_PATHS_REPORT` (a file), when that variable is set. */
function report(model: AccessModel, p: AccessPath, outcome: string): void {
  const file = process.env.ACCESS_PATHS_REPORT;
  if (!file) return;
  const cells = [model.stack.stackName, p.expect, model.label(p.principal), p.action, shortArn(p.resource), outcome, p.knownDefect ?? '', p.why];
  fs.appendFileSync(file, `| ${cells.map(c => c.replace(/\|/g, '\\|')).join(' | ')} |\n`);
}

/** Registers one jest test per path. */
export function proveAccess(model: AccessModel, paths: AccessPath[]): void {
  for (const p of paths) {
    const name = pathName(model, p);
    if (p.knownDefect) {
      test.failing(`${name} [known defect, ${p.knownDefect}]`, async () => {
        let outcome: string;
        try {
          outcome = (await model.evaluate(p)).result;
        } catch (e) {
          // A model error must not count as the expected failure: returning makes test.failing report it.
          console.error(`${name}: the path could not be evaluated, so the known defect is not what fails it:\n${(e as Error).message}`);
          return;
        }
        report(model, p, outcome);
        expect(outcome === 'Allowed' ? 'allow' : 'deny').toBe(p.expect);
      });
    } else {
      test(name, async () => {
        const d = await model.evaluate(p);
        report(model, p, d.result);
        const got = d.result === 'Allowed' ? 'allow' : 'deny';
        if (got !== p.expect) {
          throw new Error(`Expected ${p.expect}, got ${d.result}.\nWhy the path matters: ${p.why}\n${d.explanation}`);
        }
      });
    }
  }
}

/** Marks the paths `match` selects with a known defect. */
export function withKnownDefect(paths: AccessPath[], match: (p: AccessPath) => boolean, defect: string): AccessPath[] {
  return paths.map(p => (match(p) ? { ...p, knownDefect: defect } : p));
}
