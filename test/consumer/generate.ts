/**
 * Writes a new user's first app into a `cdk init app --language typescript` folder (scripts/consumer-check.sh):
 *
 * - `lib/exports.ts` imports every type the installed package exports (read from its `.jsii`), so the type-check
 *   fails when the package lacks one, and `bin/` checks at run time that every class and enum is defined;
 * - one stack per section of README.md that has ```ts snippets (`lib/readme-<section>.ts`): the section's
 *   snippets, pasted as written, one after the other, into the stack's constructor, their `import` lines moved
 *   to the top of the file. What the README presumes the user already has (`grant`, ...) is declared
 *   before them, from GIVENS below;
 * - a snippet that works on `app` (the cdk-nag one) is pasted into `bin/consumer-app.ts` after the stacks;
 * - the files the snippets read (`scripts/raw_to_parquet.py`) from the README's ```python blocks.
 *
 * Every stack has an explicit account and region and does not override `availabilityZones`.
 *
 * Usage: tsx test/consumer/generate.ts <README.md> <installed package dir> <app dir>
 */
import * as fs from 'fs';
import * as path from 'path';

/** The account and region of every stack of the app: explicit, as a user who deploys sets them. */
export const ENV = { account: '123456789012', region: 'us-east-1' };
/** The region of the stack that holds the Redshift snapshot copy grant (README "Cross-region snapshot copy"). */
export const DR_REGION = 'us-west-2';

/** What the README presumes the user's stack already has, declared before a section's snippets that use it. */
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

interface Snippet { section: string; code: string; lang: string }

/** The fenced code blocks of a markdown file, each with the level-2 section it is in. */
export function codeBlocks(markdown: string): Snippet[] {
  const out: Snippet[] = [];
  let section = '';
  let block: { lang: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (block) {
      if (/^```\s*$/.test(line)) {
        out.push({ section, lang: block.lang, code: block.lines.join('\n') });
        block = undefined;
      } else {
        block.lines.push(line);
      }
      continue;
    }
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      block = { lang: fence[1], lines: [] };
    } else if (/^## /.test(line)) {
      section = line.slice(3).trim();
    }
  }
  return out;
}

/** A file name for a section: `readme-` and its first words in kebab case. */
function slug(section: string): string {
  return 'readme-' + section.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').split('-').slice(0, 4).join('-');
}

function pascal(s: string): string {
  return s.replace(/^readme-/, '').split('-').map(w => w[0].toUpperCase() + w.slice(1)).join('');
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
  const [readmePath, packageDir, appDir] = process.argv.slice(2);
  if (!readmePath || !packageDir || !appDir) {
    throw new Error('usage: generate.ts <README.md> <installed package dir> <app dir>');
  }
  const assembly = JSON.parse(fs.readFileSync(path.join(packageDir, '.jsii'), 'utf-8')) as {
    types: Record<string, { name: string; kind: string; namespace?: string }>;
  };
  const exported = Object.values(assembly.types).filter(t => !t.namespace);
  const packageNames = exported.map(t => t.name).sort();
  const values = exported.filter(t => t.kind !== 'interface').map(t => t.name).sort();
  const interfaces = exported.filter(t => t.kind === 'interface').map(t => t.name).sort();
  if (values.length === 0) throw new Error(`${packageDir}/.jsii exports no class or enum`);

  const blocks = codeBlocks(fs.readFileSync(readmePath, 'utf-8'));
  const tsBlocks = blocks.filter(b => b.lang === 'ts');
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
  const sections = [...new Set(tsBlocks.filter(b => !appSnippets.includes(b)).map(b => b.section))];
  const stacks: { file: string; cls: string; section: string; needsGrant: boolean }[] = [];
  for (const section of sections) {
    const snippets = tsBlocks.filter(b => b.section === section && !appSnippets.includes(b)).map(b => splitImports(b.code));
    const body = snippets.map(s => s.body).join('\n\n');
    const givens = Object.keys(GIVENS).filter(n => uses(body, n) && !declares(body, n));
    const file = slug(section);
    const cls = `Readme${pascal(file)}Stack`;
    const indent = (s: string): string => s.split('\n').map(l => l ? `    ${l}` : l).join('\n');
    fs.writeFileSync(path.join(libDir, `${file}.ts`), [
      `// The README's TypeScript snippets of section "${section}", pasted as written (generated by test/consumer/generate.ts).`,
      importBlock(BASE_IMPORTS, snippets.flatMap(s => s.imports), packageNames),
      '',
      'export interface ReadmeStackProps extends StackProps {',
      '  /** A snapshot copy grant in another region\'s stack (README "Cross-region snapshot copy"). */',
      '  readonly copyGrant: RedshiftSnapshotCopyGrant;',
      '}',
      '',
      `export class ${cls} extends Stack {`,
      '  constructor(scope: Construct, id: string, props: ReadmeStackProps) {',
      '    super(scope, id, props);',
      ...(givens.length ? ['    // What the README presumes the app already has.', ...givens.map(n => indent(GIVENS[n]))] : []),
      '',
      indent(body),
      '  }',
      '}',
      '',
    ].join('\n'));
    stacks.push({ file, cls, section, needsGrant: givens.includes('grant') });

    // Files the section's code reads next to itself: written from the section's ```python blocks.
    const files = [...body.matchAll(/path\.join\(__dirname,\s*((?:'[^']+',?\s*)+)\)/g)]
      .map(m => m[1].split(',').map(s => s.trim().replace(/^'|'$/g, '')).filter(Boolean));
    const python = blocks.filter(b => b.section === section && b.lang === 'python');
    if (files.length !== python.length) {
      throw new Error(`README section "${section}": its code reads ${files.length} file(s) (${files.map(f => f.join('/')).join(', ')}) `
        + `but the section has ${python.length} python block(s)`);
    }
    files.forEach((parts, i) => {
      fs.mkdirSync(path.join(libDir, ...parts.slice(0, -1)), { recursive: true });
      fs.writeFileSync(path.join(libDir, ...parts), python[i].code + '\n');
    });
  }

  const appImports = appSnippets.flatMap(b => splitImports(b.code).imports);
  const binDir = path.join(appDir, 'bin');
  for (const f of fs.readdirSync(binDir)) fs.rmSync(path.join(binDir, f));
  fs.writeFileSync(path.join(binDir, 'consumer-app.ts'), [
    '#!/usr/bin/env node',
    '// A new user\'s app (generated by test/consumer/generate.ts): every README section with TypeScript snippets as',
    '// one stack, with an explicit account and region, and the README\'s cdk-nag snippet pasted as written.',
    importBlock([['aws-cdk-lib', '{ App, Stack }']], appImports, ['RedshiftSnapshotCopyGrant']),
    "import { EXPORTED_VALUES } from '../lib/exports';",
    ...stacks.map(s => `import { ${s.cls} } from '../lib/${s.file}';`),
    '',
    'const missing = Object.entries(EXPORTED_VALUES).filter(([, v]) => v === undefined).map(([k]) => k);',
    'if (missing.length) throw new Error(`exported but undefined at run time: ${missing.join(\', \')}`);',
    '',
    'const app = new App();',
    `const env = ${JSON.stringify(ENV).replace(/"(\w+)":/g, '$1: ').replace(/"/g, '\'')};`,
    `const dr = new Stack(app, 'ReadmeDr', { env: { ...env, region: '${DR_REGION}' } });`,
    "const copyGrant = new RedshiftSnapshotCopyGrant(dr, 'Grant', { grantName: 'analytics-warehouse-dr' });",
    ...stacks.map(s => `new ${s.cls}(app, '${s.cls.replace(/Stack$/, '')}', { env, copyGrant });`),
    '',
    ...appSnippets.map(b => splitImports(b.code).body),
    '',
  ].join('\n'));
  console.error(`${values.length} classes and enums, ${interfaces.length} interfaces; stacks: ${stacks.map(s => `${s.cls} (${s.section})`).join(', ')}`);
}

main();
