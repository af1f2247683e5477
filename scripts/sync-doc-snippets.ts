/**
 * `npm run docs:snippets`: rewrites every code block of README.md and docs/*.md that is linked to compiled code,
 * from that code, so the docs cannot drift from what compiles (`npm run docs:snippets -- --check` only reports).
 *
 * A block is linked by an HTML comment on the line before its fence (blank lines between are allowed):
 *
 *     <!-- snippet: examples/emr-spot/quickstart/index.ts#1 -->
 *     ```ts
 *
 * - `<file>#<n>`: the n-th region (from 1) of the file between a `// README:start` line and the next
 *   `// README:end` line, without the indentation its lines share (a stack constructor's 4 spaces). The block may
 *   start with `import` lines and a blank line, which a new user's file has at its top: they are kept as written
 *   (each must be a line of the file, which the check verifies) and the rest of the block is the region.
 * - `<file>` alone: the whole file (a script the snippet reads, for example).
 *
 * A merge conflict inside a linked block is resolved by the rewrite; the script refuses a page with a conflict
 * elsewhere. Every ```ts block of the docs must be linked, and every region of the linked files shown at least once. The
 * tests (test/docs/snippets.test.ts) fail when a page is not what this script would write, so after a change to
 * a quickstart (or a merge conflict in a block) run `npm run docs:snippets` and commit the result.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');

/** The markdown files whose blocks are checked and rewritten, relative to the root. */
export function docFiles(root: string = ROOT): string[] {
  const docs = fs.readdirSync(path.join(root, 'docs')).filter(f => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map(f => `docs/${f}`)];
}

const MARKER = /^<!--\s*snippet:\s*(\S+?)\s*-->\s*$/;
const START = /^\s*\/\/ README:start\s*$/;
const END = /^\s*\/\/ README:end\s*$/;
const IMPORT = /^import\s.*\sfrom\s+'[^']+';\s*$/;

/** A fenced code block of a markdown file. */
export interface DocBlock {
  /** The markdown file, relative to the root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  /** The block's text, every line ending in a newline. */
  readonly code: string;
  /** The heading (any level) the block is under. */
  readonly heading: string;
  /** The marker's target, if the block is linked: the file relative to the root, and the region (from 1) or none. */
  readonly source?: { readonly file: string; readonly region?: number };
}

/** The fenced code blocks of a markdown text, with the marker before each, if any. */
export function parseBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const out: DocBlock[] = [];
  let heading = '';
  let marker: { file: string; region?: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = MARKER.exec(line);
    if (m) {
      const [target, region] = m[1].split('#');
      marker = { file: target, region: region === undefined ? undefined : Number(region) };
      if (region !== undefined && !/^[1-9]\d*$/.test(region)) throw new Error(`${file}:${i + 1}: snippet region "${region}" is not a number from 1`);
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !/^```\s*$/.test(lines[j])) body.push(lines[j++]);
      if (j >= lines.length) throw new Error(`${file}:${i + 1}: code block is not closed`);
      out.push({ file, line: i + 1, lang: fence[1], code: body.map(l => l + '\n').join(''), heading, source: marker });
      marker = undefined;
      i = j;
      continue;
    }
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '').trim();
    if (marker && line.trim() !== '') throw new Error(`${file}:${i + 1}: a snippet marker must be followed by a code block`);
  }
  if (marker) throw new Error(`${file}: a snippet marker at the end of the file is followed by no code block`);
  return out;
}

/** The regions of a source text between `// README:start` and `// README:end`, dedented, each ending in a newline. */
export function regionsOf(source: string, file = 'source'): string[] {
  const regions: string[] = [];
  let current: string[] | undefined;
  source.split('\n').forEach((line, i) => {
    if (START.test(line)) {
      if (current) throw new Error(`${file}:${i + 1}: README:start inside a region`);
      current = [];
    } else if (END.test(line)) {
      if (!current) throw new Error(`${file}:${i + 1}: README:end without README:start`);
      regions.push(dedent(current));
      current = undefined;
    } else if (current) {
      current.push(line);
    }
  });
  if (current) throw new Error(`${file}: README:start without README:end`);
  return regions;
}

function dedent(lines: string[]): string {
  const indent = Math.min(...lines.filter(l => l.trim()).map(l => /^ */.exec(l)![0].length));
  return lines.map(l => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd() + '\n').join('');
}

/** A block's leading `import` lines (followed by a blank line), and the rest. */
export function splitLeadingImports(code: string): { imports: string[]; rest: string } {
  const m = /^((?:import .*\n)+)\n/.exec(code);
  if (!m || !m[1].split('\n').filter(Boolean).every(l => IMPORT.test(l))) return { imports: [], rest: code };
  return { imports: m[1].split('\n').filter(Boolean), rest: code.slice(m[0].length) };
}

/** The names an import statement binds, with their module: `{ a, b }` gives a and b, `* as x` gives `* as x`. */
function importedNames(statement: string): { module: string; names: string[] } | undefined {
  const m = /^import\s+(.*?)\s+from\s+'([^']+)';/.exec(statement.trim());
  if (!m) return undefined;
  const braces = /^\{(.*)\}$/.exec(m[1].trim());
  return { module: m[2], names: braces ? braces[1].split(',').map(n => n.trim()).filter(Boolean) : [m[1].trim()] };
}

/** Whether a source file imports everything an import line of a block imports (from the same module). */
export function importedBy(statement: string, source: string): boolean {
  const wanted = importedNames(statement);
  if (!wanted) return false;
  const have = new Set<string>();
  for (const m of source.matchAll(/^import\s[\s\S]*?from\s+'[^']+';/gm)) {
    const got = importedNames(m[0].replace(/\s+/g, ' '));
    if (got?.module === wanted.module) got.names.forEach(n => have.add(n));
  }
  return wanted.names.every(n => have.has(n));
}

/** What a linked block must contain, from its source: the region (after the block's own imports) or the whole file. */
export function expectedCode(block: DocBlock, readSource: (file: string) => string): string {
  const target = block.source!;
  const source = readSource(target.file);
  if (target.region === undefined) return source.endsWith('\n') ? source : source + '\n';
  const regions = regionsOf(source, target.file);
  const region = regions[target.region - 1];
  if (region === undefined) {
    throw new Error(`${block.file}:${block.line}: ${target.file} has ${regions.length} README region(s), not #${target.region}`);
  }
  const { imports } = splitLeadingImports(block.code);
  return imports.length ? `${imports.join('\n')}\n\n${region}` : region;
}

/** A markdown text with every linked block rewritten from its source. */
export function syncMarkdown(file: string, markdown: string, readSource: (file: string) => string): string {
  const lines = markdown.split('\n');
  // From the last block to the first, so that line numbers stay valid.
  for (const block of parseBlocks(file, markdown).reverse()) {
    if (!block.source) continue;
    const code = expectedCode(block, readSource);
    const oldLength = block.code === '' ? 0 : block.code.split('\n').length - 1;
    lines.splice(block.line, oldLength, ...code.replace(/\n$/, '').split('\n'));
  }
  return lines.join('\n');
}

const CONFLICT = /^(<{7}|={7}|>{7})( |$)/;

/**
 * A markdown text with every linked block rewritten (syncMarkdown), refusing to return one that still has merge
 * conflict markers: a conflict inside a linked block is resolved by rewriting the block from its source; one outside
 * (in prose, or across a fence) must be resolved by hand first.
 */
export function syncMarkdownResolvingConflicts(file: string, markdown: string, readSource: (file: string) => string): string {
  const synced = syncMarkdown(file, markdown, readSource);
  const left = synced.split('\n').findIndex(l => CONFLICT.test(l));
  if (left >= 0) throw new Error(`${file}:${left + 1}: a merge conflict outside the linked code blocks: resolve it by hand, then rerun`);
  return synced;
}

/** Everything wrong with the docs' snippets, one line each: empty when they are what the script writes. */
export function snippetProblems(root: string = ROOT): string[] {
  const problems: string[] = [];
  const read = (file: string): string => {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) throw new Error(`no such file: ${file}`);
    return fs.readFileSync(full, 'utf-8');
  };
  // Where each region (or file) is shown: a region may be shown on more than one page (the README's first stack).
  const shown = new Map<string, string[]>();
  for (const file of docFiles(root)) {
    const markdown = read(file);
    let blocks: DocBlock[];
    try {
      blocks = parseBlocks(file, markdown);
    } catch (e) {
      problems.push((e as Error).message);
      continue;
    }
    for (const block of blocks) {
      const where = `${file}:${block.line}`;
      if (!block.source) {
        if (block.lang === 'ts') problems.push(`${where}: a \`\`\`ts block without a <!-- snippet: <file>#<region> --> marker`);
        continue;
      }
      const id = `${block.source.file}${block.source.region ? `#${block.source.region}` : ''}`;
      shown.set(id, [...(shown.get(id) ?? []), where]);
      let expected: string;
      try {
        expected = expectedCode(block, read);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message}`);
        continue;
      }
      if (expected !== block.code) problems.push(`${where}: differs from ${id} (run \`npm run docs:snippets\`)`);
      if (block.source.region !== undefined) {
        const source = read(block.source.file);
        for (const imp of splitLeadingImports(block.code).imports) {
          if (!importedBy(imp, source)) problems.push(`${where}: "${imp}" is not an import of ${block.source.file}`);
        }
      }
    }
  }
  // Every region of a linked file is shown: a region nobody shows is stale, or a block lost its marker.
  for (const file of new Set([...shown.keys()].map(id => id.split('#')[0]))) {
    let count = 0;
    try {
      count = regionsOf(read(file), file).length;
    } catch (e) {
      problems.push((e as Error).message);
    }
    for (let n = 1; n <= count; n++) {
      if (!shown.has(`${file}#${n}`)) problems.push(`${file}#${n} is shown in no page`);
    }
  }
  return problems;
}

function main(): number {
  const check = process.argv.includes('--check');
  const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf-8');
  let changed = 0;
  let failed = 0;
  if (!check) {
    for (const file of docFiles()) {
      const markdown = read(file);
      let synced: string;
      try {
        synced = syncMarkdownResolvingConflicts(file, markdown, read);
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        failed++;
        continue;
      }
      if (synced !== markdown) {
        fs.writeFileSync(path.join(ROOT, file), synced);
        changed++;
        process.stdout.write(`rewrote ${file}\n`);
      }
    }
  }
  const problems = snippetProblems();
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stdout.write(`${docFiles().length} pages, ${changed} rewritten, ${problems.length} problem(s)\n`);
  return problems.length || failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
