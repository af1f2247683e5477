/**
 * Writes a new user's first app into a `cdk init app --language typescript` folder (scripts/consumer-check.sh):
 *
 * - `lib/exports.ts` imports every type the installed package exports (read from its `.jsii`), so the type-check
 *   fails when the package lacks one, and `bin/` checks at run time that every class and enum is defined;
 * - one stack per quickstart file the docs' ```ts snippets are linked to (`<!-- snippet: <file>#<region> -->`, see
 *   scripts/sync-doc-snippets.ts), `lib/docs-<name>.ts`: the snippets of README.md and docs/*.md, as written, in the
 *   order of their regions in that file (each region once, however many pages show it), pasted one after the other
 *   into the stack's constructor, their `import` lines moved to the top of the file. What the docs presume the user
 *   already has (`grant`, ...) is declared before them, from GIVENS below;
 * - a snippet that works on `app` (the cdk-nag one) is pasted into `bin/consumer-app.ts` after the stacks;
 * - the files the snippets read (`scripts/raw_to_parquet.py`) from the docs' blocks linked to those files.
 *
 * Every stack has an explicit account and region and does not override `availabilityZones`.
 *
 * Usage: tsx test/consumer/generate.ts <installed package dir> <app dir> <markdown file>...
 */
import * as fs from 'fs';
import * as path from 'path';

import { DocBlock, parseBlocks } from '../../scripts/sync-doc-snippets';

/** The account and region of every stack of the app: explicit, as a user who deploys sets them. */
export const ENV = { account: '123456789012', region: 'us-east-1' };
/** The region of the stack that holds the Redshift snapshot copy grant (docs/redshift.md "Cross-region snapshot copy"). */
export const DR_REGION = 'us-west-2';

/** What the docs presume the user's stack already has, declared before a stack's snippets that use it. */
const GIVENS: Record<string, string> = {
  grant: 'const grant = props.copyGrant;',
  biSecurityGroup: "const biSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'BiSecurityGroup', 'sg-0123456789abcdef0');",
  lake: "const lake = new DataBucket(this, 'Lake');",
};

/** Imports every generated stack file starts with: what a user's stack file would have. */
const BASE_IMPORTS: [string, string][] = [
  ['path', '* as path'],
  ['aws-cdk-lib', '{ CfnResource, Duration, RemovalPolicy, Size, Stack, StackProps, Validations }'],
  ['aws-cdk-lib/aws-ec2', '* as ec2'],
  ['aws-cdk-lib/aws-glue', '* as glue'],
  ['aws-cdk-lib/aws-iam', '* as iam'],
  ['aws-cdk-lib/aws-kms', '* as kms'],
  ['aws-cdk-lib/aws-s3', '* as s3'],
  ['aws-cdk-lib/aws-sns-subscriptions', '* as subscriptions'],
  ['constructs', '{ Construct }'],
];

/** A file name for the snippets of a quickstart file: `docs-` and the example's folder in kebab case. */
function slug(sourceFile: string): string {
  const name = sourceFile.replace(/^examples\//, '').replace(/\/index\.ts$|\.ts$/, '').replace(/\/quickstart$/, '');
  return 'docs-' + name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function pascal(s: string): string {
  return s.replace(/^docs-/, '').split('-').map(w => w[0].toUpperCase() + w.slice(1)).join('');
}

/** Code without its `//` comments, to tell which names a snippet uses. */
function withoutComments(code: string): string {
  return code.replace(/\/\/.*$/gm, '');
}

const declares = (code: string, name: string): boolean => new RegExp(`\\b(const|let|var)\\s+${name}\\b`).test(code);
const uses = (code: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(withoutComments(code));

/** Splits a snippet into its import lines and the rest. */
function splitImports(code: string): { imports: string[]; body: string } {
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of code.split('\n')) {
    (/^import\s.*\sfrom\s+'[^']+';\s*$/.test(line) ? imports : body).push(line);
  }
  return { imports, body: body.join('\n').trim() };
}

/** Import statements: the base ones, the package's exports, and the snippets' own, merged per module. */
function importBlock(base: [string, string][], extra: string[], packageNames: string[]): string {
  const named = new Map<string, Set<string>>();
  const lines: string[] = [];
  const addNamed = (mod: string, names: string[]): void => {
    if (!named.has(mod)) named.set(mod, new Set());
    names.forEach(n => named.get(mod)!.add(n));
  };
  for (const [mod, clause] of base) {
    const m = /^\{(.*)\}$/.exec(clause.trim());
    if (m) addNamed(mod, m[1].split(',').map(s => s.trim()).filter(Boolean));
    else lines.push(`import ${clause} from '${mod}';`);
  }
  addNamed('cdk-analytics-blueprints', packageNames);
  for (const imp of extra) {
    const m = /^import\s+\{(.*)\}\s+from\s+'([^']+)';/.exec(imp);
    if (m) addNamed(m[2], m[1].split(',').map(s => s.trim()).filter(Boolean));
    else if (!lines.includes(imp.trim())) lines.push(imp.trim());
  }
  for (const [mod, names] of named) {
    lines.push(`import { ${[...names].sort().join(', ')} } from '${mod}';`);
  }
  return lines.join('\n');
}

function main(): void {
  const [packageDir, appDir, ...markdownFiles] = process.argv.slice(2);
  if (!packageDir || !appDir || markdownFiles.length === 0) {
    throw new Error('usage: generate.ts <installed package dir> <app dir> <markdown file>...');
  }
  const assembly = JSON.parse(fs.readFileSync(path.join(packageDir, '.jsii'), 'utf-8')) as {
    types: Record<string, { name: string; kind: string; namespace?: string }>;
  };
  const exported = Object.values(assembly.types).filter(t => !t.namespace);
  const packageNames = exported.map(t => t.name).sort();
  const values = exported.filter(t => t.kind !== 'interface').map(t => t.name).sort();
  const interfaces = exported.filter(t => t.kind === 'interface').map(t => t.name).sort();
  if (values.length === 0) throw new Error(`${packageDir}/.jsii exports no class or enum`);

  const blocks = markdownFiles.flatMap(f => parseBlocks(f, fs.readFileSync(f, 'utf-8')));
  const unlinked = blocks.filter(b => b.lang === 'ts' && !b.source);
  if (unlinked.length) throw new Error(`\`\`\`ts blocks without a snippet marker: ${unlinked.map(b => `${b.file}:${b.line}`).join(', ')}`);
  // Each region once, in the order of its file: a region may be shown on two pages (the README's first stack).
  const byRegion = new Map<string, DocBlock>();
  for (const b of blocks.filter(x => x.lang === 'ts')) {
    const id = `${b.source!.file}#${b.source!.region}`;
    if (!byRegion.has(id)) byRegion.set(id, b);
  }
  const tsBlocks = [...byRegion.values()]
    .sort((a, b) => a.source!.file.localeCompare(b.source!.file) || (a.source!.region ?? 0) - (b.source!.region ?? 0));
  const libDir = path.join(appDir, 'lib');
  fs.mkdirSync(libDir, { recursive: true });

  fs.writeFileSync(path.join(libDir, 'exports.ts'), [
    '// Every type the package exports: tsc fails when one is missing.',
    `import { ${packageNames.join(', ')} } from 'cdk-analytics-blueprints';`,
    '',
    ...interfaces.map(n => `export type _${n} = ${n};`),
    '',
    '/** Every class and enum, by name: bin/ checks that each is defined at run time. */',
    `export const EXPORTED_VALUES: Record<string, unknown> = { ${values.join(', ')} };`,
    '',
  ].join('\n'));

  const appSnippets = tsBlocks.filter(b => uses(b.code, 'app'));
  const sources = [...new Set(tsBlocks.filter(b => !appSnippets.includes(b)).map(b => b.source!.file))];
  const stacks: { file: string; cls: string; source: string; needsGrant: boolean }[] = [];
  for (const source of sources) {
    const snippets = tsBlocks.filter(b => b.source!.file === source && !appSnippets.includes(b)).map(b => splitImports(b.code));
    const body = snippets.map(s => s.body).join('\n\n');
    const givens = Object.keys(GIVENS).filter(n => uses(body, n) && !declares(body, n));
    const file = slug(source);
    const cls = `Docs${pascal(file)}Stack`;
    const indent = (s: string): string => s.split('\n').map(l => l ? `    ${l}` : l).join('\n');
    fs.writeFileSync(path.join(libDir, `${file}.ts`), [
      `// The docs' TypeScript snippets of ${source}, pasted as written (generated by test/consumer/generate.ts).`,
      importBlock(BASE_IMPORTS, snippets.flatMap(s => s.imports), packageNames),
      '',
      'export interface DocsStackProps extends StackProps {',
      '  /** A snapshot copy grant in another region\'s stack (docs/redshift.md "Cross-region snapshot copy"). */',
      '  readonly copyGrant: RedshiftSnapshotCopyGrant;',
      '}',
      '',
      `export class ${cls} extends Stack {`,
      '  constructor(scope: Construct, id: string, props: DocsStackProps) {',
      '    super(scope, id, props);',
      ...(givens.length ? ['    // What the docs presume the app already has.', ...givens.map(n => indent(GIVENS[n]))] : []),
      '',
      indent(body),
      '  }',
      '}',
      '',
    ].join('\n'));
    stacks.push({ file, cls, source, needsGrant: givens.includes('grant') });

    // Files the code reads next to itself: written from the docs' blocks linked to the file next to the quickstart.
    const files = [...body.matchAll(/path\.join\(__dirname,\s*((?:'[^']+',?\s*)+)\)/g)]
      .map(m => m[1].split(',').map(s => s.trim().replace(/^'|'$/g, '')).filter(Boolean));
    for (const parts of files) {
      const wanted = path.posix.join(path.posix.dirname(source), ...parts);
      const shown = blocks.find(b => b.source?.file === wanted && b.source.region === undefined);
      if (!shown) throw new Error(`${source}: its code reads ${parts.join('/')}, but no docs block is linked to ${wanted}`);
      fs.mkdirSync(path.join(libDir, ...parts.slice(0, -1)), { recursive: true });
      fs.writeFileSync(path.join(libDir, ...parts), shown.code);
    }
  }

  const appImports = appSnippets.flatMap(b => splitImports(b.code).imports);
  const binDir = path.join(appDir, 'bin');
  for (const f of fs.readdirSync(binDir)) fs.rmSync(path.join(binDir, f));
  fs.writeFileSync(path.join(binDir, 'consumer-app.ts'), [
    '#!/usr/bin/env node',
    '// A new user\'s app (generated by test/consumer/generate.ts): the docs\' TypeScript snippets of each quickstart',
    '// file as one stack, with an explicit account and region, and the docs\' cdk-nag snippet pasted as written.',
    importBlock([['aws-cdk-lib', '{ App, Stack }']], appImports, ['RedshiftSnapshotCopyGrant']),
    "import { EXPORTED_VALUES } from '../lib/exports';",
    ...stacks.map(s => `import { ${s.cls} } from '../lib/${s.file}';`),
    '',
    'const missing = Object.entries(EXPORTED_VALUES).filter(([, v]) => v === undefined).map(([k]) => k);',
    'if (missing.length) throw new Error(`exported but undefined at run time: ${missing.join(\', \')}`);',
    '',
    'const app = new App();',
    `const env = ${JSON.stringify(ENV).replace(/"(\w+)":/g, '$1: ').replace(/"/g, '\'')};`,
    `const dr = new Stack(app, 'DocsDr', { env: { ...env, region: '${DR_REGION}' } });`,
    "const copyGrant = new RedshiftSnapshotCopyGrant(dr, 'Grant', { grantName: 'analytics-warehouse-dr' });",
    ...stacks.map(s => `new ${s.cls}(app, '${s.cls.replace(/Stack$/, '')}', { env, copyGrant });`),
    '',
    ...appSnippets.map(b => splitImports(b.code).body),
    '',
  ].join('\n'));
  console.error(`${values.length} classes and enums, ${interfaces.length} interfaces; stacks: ${stacks.map(s => `${s.cls} (${s.source})`).join(', ')}`);
}

main();
