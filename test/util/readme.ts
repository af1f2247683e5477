import * as fs from 'fs';
import * as path from 'path';

import { parseBlocks, regionsOf, splitLeadingImports } from '../../scripts/sync-doc-snippets';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The code blocks of a docs page (`README.md`, `docs/emr.md`...) linked to `exampleFile` by their
 * `<!-- snippet: <exampleFile>#<n> -->` markers, in the page's order, and the regions of `exampleFile` between
 * `// README:start` and `// README:end` (without the indentation their lines share), so a test can check that the
 * page shows the compiled code verbatim, in order: `expect(blocks).toEqual(regions)`. For blocks linked to the whole
 * file (`<!-- snippet: <exampleFile> -->`, a script), `regions` is the file.
 *
 * A block may start with the import lines it needs beyond a new user's stack file's: they are returned apart
 * (`imports`, to be found among the example file's imports with `importedBy`) and cut from the block.
 * scripts/sync-doc-snippets.ts writes the blocks (`npm run docs:snippets`); test/docs/snippets.test.ts checks all pages.
 */
export function docSnippets(docsFile: string, exampleFile: string): {
  blocks: string[]; imports: string[]; regions: string[]; source: string;
} {
  const markdown = fs.readFileSync(path.join(ROOT, docsFile), 'utf-8');
  const linked = parseBlocks(docsFile, markdown).filter(b => b.source?.file === exampleFile);
  if (linked.length === 0) throw new Error(`${docsFile} has no block linked to ${exampleFile}`);
  const source = fs.readFileSync(path.join(ROOT, exampleFile), 'utf-8');
  const wholeFile = linked.every(b => b.source!.region === undefined);
  const split = linked.map(b => splitLeadingImports(b.code));
  return {
    blocks: split.map(s => s.rest),
    imports: split.flatMap(s => s.imports),
    regions: wholeFile ? [source] : regionsOf(source, exampleFile),
    source,
  };
}
