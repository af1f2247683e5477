/**
 * `npm run check:control-tower`: every template of a synthesized cloud assembly (default `cdk.out`, so run
 * `npx cdk synth` first) against the AWS Control Tower proactive controls, with the cfn-guard binary and the
 * rules that `@cdklabs/cdk-validator-cfnguard` ships.
 *
 * Why not that package's validation plugin: 0.0.62 crashes on these templates while it reads cfn-guard's
 * results ("CfnGuardValidator plugin failed processing cfn-guard results ... Cannot read properties of
 * undefined (reading 'to')", cdklabs/cdk-validator-cfnguard#178, open), and runs every rule on every stack
 * inside each synth. The rules and the binary are the same; only the reading of the results is ours.
 *
 * A finding passes only when the table "AWS Control Tower proactive controls: exceptions" of docs/compliance.md lists its
 * control and a pattern of its construct path, with the reason. The check fails on any other finding, and on
 * any row of that table that no finding matches any more (a stale exception hides nothing, so it goes).
 *
 * Exit code 0 when clean; 1 with the list otherwise.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const assemblyDir = path.resolve(process.argv[2] ?? path.join(root, 'cdk.out'));
const pkg = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const guard = path.join(pkg, 'bin', process.platform === 'darwin' ? 'macos' : 'ubuntu',
  os.arch() === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');
const rules = path.join(pkg, 'rules', 'control-tower', 'cfn-guard');

/** One row of the exception table of docs/compliance.md. */
export interface ControlTowerException {
  readonly control: string;
  readonly pathPattern: string;
  readonly reason: string;
}

/** One non-compliant resource: the control, the stack, the construct path (or logical id) of the resource. */
export interface ControlTowerFinding {
  readonly control: string;
  readonly stack: string;
  readonly path: string;
  readonly message: string;
}

/** What the check reads of a template. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { readonly Type: string; readonly Metadata?: Record<string, unknown> }>;
}

/** One entry of cfn-guard's structured JSON output (one per data file). */
export interface GuardResult {
  readonly name: string;
  readonly not_compliant?: unknown[];
}

type JsonObject = Record<string, unknown>;

/** The page that lists the exceptions, relative to the repository root, and the heading of its table. */
export const EXCEPTIONS_PAGE = 'docs/compliance.md';
const EXCEPTIONS_HEADING = '### AWS Control Tower proactive controls: exceptions';

/**
 * The exceptions table under EXCEPTIONS_HEADING of EXCEPTIONS_PAGE: rows `| CT.X.PR.N | \`path pattern\` | reason |`. A pattern is
 * matched against `<stack>/<construct path>`; `*` matches within one path segment, `**` across segments.
 */
export function readExceptions(page: string): ControlTowerException[] {
  const start = page.indexOf(EXCEPTIONS_HEADING);
  if (start < 0) throw new Error(`${EXCEPTIONS_PAGE} has no section "${EXCEPTIONS_HEADING}"`);
  const section = page.slice(start + EXCEPTIONS_HEADING.length).split(/\n#{1,3} /)[0];
  const rows: ControlTowerException[] = [];
  for (const line of section.split('\n')) {
    const m = /^\|\s*(CT\.[A-Z0-9]+\.PR\.\d+)\s*\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (!m) continue;
    if (m[3].length < 20) throw new Error(`${EXCEPTIONS_PAGE} exception ${m[1]} ${m[2]}: the reason is too short to review`);
    rows.push({ control: m[1], pathPattern: m[2], reason: m[3] });
  }
  if (rows.length === 0) throw new Error(`${EXCEPTIONS_PAGE} section "${EXCEPTIONS_HEADING}" has no exception rows`);
  return rows;
}

export function matches(pattern: string, subject: string): boolean {
  const re = pattern.split('**').map(part => part.split('*').map(escape).join('[^/]*')).join('.*');
  return new RegExp(`^${re}$`).test(subject);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** The findings of cfn-guard's structured JSON output for one template. */
export function findingsOf(stack: string, template: CfnTemplate, guardOutput: GuardResult[]): ControlTowerFinding[] {
  const resources = Object.values(template.Resources ?? {});
  if (resources.length > 0 && !resources.some(r => r.Metadata?.['aws:cdk:path'])) {
    throw new Error(`${stack}: the template has no aws:cdk:path metadata, which names resources by construct path ` +
      'in this check; synthesize with the CDK CLI defaults (no --no-path-metadata)');
  }
  const out = new Map<string, ControlTowerFinding>();
  for (const result of guardOutput) {
    for (const check of result.not_compliant ?? []) {
      let control: string | undefined;
      let message = '';
      const logicalIds = new Set<string>();
      walk(check, node => {
        const custom = node.custom_message;
        if (typeof custom === 'string' && !control) {
          const m = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]:\s*([^\n]+)/.exec(custom);
          if (m) { control = m[1]; message = m[2].trim(); }
        }
        if (typeof node.path === 'string') {
          const m = /^\/Resources\/([^/]+)/.exec(node.path);
          if (m) logicalIds.add(m[1]);
        }
      });
      for (const id of logicalIds) {
        const cdkPath = template.Resources?.[id]?.Metadata?.['aws:cdk:path'] as string | undefined;
        const finding = { control: control ?? result.name, stack, path: cdkPath ?? `${stack}/${id}`, message };
        out.set(`${finding.control} ${finding.path}`, finding);
      }
    }
  }
  return [...out.values()];
}

function walk(node: unknown, visit: (n: JsonObject) => void): void {
  if (!node || typeof node !== 'object') return;
  visit(node as JsonObject);
  for (const v of Object.values(node)) walk(v, visit);
}

/** Every rule file, with the CloudFormation resource types it checks. */
export function ruleFiles(): { file: string; types: string[] }[] {
  const out: { file: string; types: string[] }[] = [];
  for (const dir of fs.readdirSync(rules)) {
    for (const f of fs.readdirSync(path.join(rules, dir)).filter(n => n.endsWith('.guard'))) {
      const file = path.join(rules, dir, f);
      const types = [...new Set(fs.readFileSync(file, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [])];
      out.push({ file, types });
    }
  }
  return out;
}

/**
 * cfn-guard on one template, with the rules that check a resource type the template has (every rule file
 * names its types). A rule of an absent type is not applicable anyway; leaving it out makes the run about 10x
 * faster, since cfn-guard parses every rule file it is given for every template.
 */
export function runGuard(templateFile: string, template: CfnTemplate, allRules: { file: string; types: string[] }[]): Promise<GuardResult[]> {
  const present = new Set(Object.values(template.Resources ?? {}).map(r => r.Type));
  const applicable = allRules.filter(r => r.types.length === 0 || r.types.some(t => present.has(t)));
  if (applicable.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn(guard, ['validate', ...applicable.flatMap(r => ['--rules', r.file]), '--data', templateFile,
      '--output-format', 'json', '--show-summary', 'none', '--structured']);
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', c => chunks.push(c));
    child.stderr.on('data', c => { stderr += c; });
    child.on('error', reject);
    child.on('close', code => {
      // cfn-guard exits 0 when compliant and 19 when a rule fails; anything else is an error of the run.
      if (code !== 0 && code !== 19) {
        reject(new Error(`cfn-guard exited ${code} on ${templateFile}: ${stderr.slice(0, 2000)}`));
        return;
      }
      resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

async function main(): Promise<number> {
  const templates = fs.readdirSync(assemblyDir).filter(f => f.endsWith('.template.json')).sort();
  if (templates.length === 0) {
    console.error(`no templates in ${assemblyDir}: run \`npx cdk synth\` first`);
    return 1;
  }
  const exceptions = readExceptions(fs.readFileSync(path.join(root, EXCEPTIONS_PAGE), 'utf8'));
  const findings: ControlTowerFinding[] = [];
  const allRules = ruleFiles();
  // Two at a time: cfn-guard is single-threaded, and CI has two cores.
  const queue = [...templates];
  await Promise.all([0, 1].map(async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const full = path.join(assemblyDir, file);
      const stack = file.replace(/\.template\.json$/, '');
      const template = JSON.parse(fs.readFileSync(full, 'utf8')) as CfnTemplate;
      findings.push(...findingsOf(stack, template, await runGuard(full, template, allRules)));
    }
  }));

  const used = new Set<ControlTowerException>();
  const open: ControlTowerFinding[] = [];
  for (const f of findings) {
    const hit = exceptions.find(e => e.control === f.control && matches(e.pathPattern, f.path));
    if (hit) used.add(hit); else open.push(f);
  }
  const stale = exceptions.filter(e => !used.has(e));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`Control Tower proactive controls: ${templates.length} templates, ${findings.length} findings, ` +
    `${findings.length - open.length} listed as exceptions in ${EXCEPTIONS_PAGE}, ${open.length} not listed, ${stale.length} stale exceptions`);
  for (const f of open.sort((a, b) => `${a.control}${a.path}`.localeCompare(`${b.control}${b.path}`))) {
    say(`  NOT LISTED ${f.control} ${f.path}: ${f.message}`);
  }
  for (const e of stale) say(`  STALE EXCEPTION ${e.control} \`${e.pathPattern}\`: no finding matches it any more`);
  return open.length + stale.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(code => process.exit(code), err => { console.error(err); process.exit(1); });
}
