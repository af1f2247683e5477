import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The README's ```ts blocks between the heading `from` and the next heading `to` after it, and the regions of an
 * example file between `// README:start` and `// README:end` (without the constructor's 4-space indentation), so a
 * test can check that the README shows the compiled code verbatim, in order.
 *
 * A README block may start with the import lines it needs beyond the generated app's (a new user's stack file has
 * them at the top): they are returned apart, each to be found in the example file, and cut from the block.
 */
export function readmeSnippets(from: string, to: string, exampleFile: string): {
  blocks: string[]; imports: string[]; regions: string[]; source: string;
} {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const start = readme.indexOf(from);
  if (start < 0) throw new Error(`README.md has no "${from}"`);
  const end = readme.indexOf(to, start);
  if (end < 0) throw new Error(`README.md has no "${to}" after "${from}"`);
  const raw = [...readme.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map(b => b[1]);
  const source = fs.readFileSync(path.join(ROOT, exampleFile), 'utf-8');
  const regions = [...source.matchAll(/\/\/ README:start\n([\s\S]*?)\n\s*\/\/ README:end/g)]
    .map(m => m[1].split('\n').map(line => line.replace(/^ {4}/, '')).join('\n') + '\n');
  return {
    blocks: raw.map(b => b.replace(/^(import .*\n)+\n/, '')),
    imports: raw.flatMap(b => (/^(import .*\n)+\n/.exec(b)?.[0] ?? '').split('\n').filter(Boolean)),
    regions,
    source,
  };
}
