/**
 * `npm run docs:rules` writes docs/validation-rules.md: every rule the constructs check at synth, read from the
 * code itself, so that the reference cannot drift from what the constructs do. `npm run check:rules` (a CI step)
 * fails when the committed file is not what the code gives.
 *
 * A rule is a call on a `PropsValidator` (lib/core/validation.ts) anywhere under lib/, and a warning is an
 * `Annotations.of(..).addWarningV2(id, message)`. For each the page shows the construct(s) it belongs to, the
 * property, the rule and its limit as the code writes them, the sources cited in the comments just above the
 * check (or in the JSDoc of the function or class around it), and a link to the file and the function it is in (not
 * the line: the page would then change with every edit above a check).
 *
 * Values the code computes (a limit that depends on the instance type, say) are shown as the expression, in
 * braces: the page says where the value comes from instead of guessing it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const OUT = path.join(ROOT, 'docs', 'validation-rules.md');

/** The `PropsValidator` methods that check a rule, and how each reads its arguments. */
const METHODS: Record<string, (a: Arg[]) => { property: string; rule: string; limit: string }> = {
  check: a => ({ property: a[1].text, rule: a[3]?.text ?? '', limit: '' }),
  fail: a => ({ property: a[0].text, rule: a[2]?.text ?? '', limit: '' }),
  inRange: a => ({ property: a[0].text, rule: `must be between ${range(a[2], a[3], a[4])}`, limit: range(a[2], a[3], a[4]) }),
  integerInRange: a => ({ property: a[0].text, rule: `must be a whole number between ${range(a[2], a[3], a[4])}`, limit: range(a[2], a[3], a[4]) }),
  wholeNumber: a => a[3] && a[3].text !== 'undefined'
    ? { property: a[0].text, rule: `must be a whole number between ${range(a[2], a[3], a[4])}`, limit: range(a[2], a[3], a[4]) }
    : { property: a[0].text, rule: `must be a whole number of at least ${a[2].text}${unit(a[4])}`, limit: `≥ ${a[2].text}${unit(a[4])}` },
  wholeDuration: a => ({ property: a[0].text, rule: `must be a whole number of ${a[2].text}${a[3] ? ` (${a[3].text})` : ''}`, limit: '' }),
  wholeMebibytes: a => ({ property: a[0].text, rule: `must be a whole number of MiB${a[2] ? ` (${a[2].text})` : ''}`, limit: '' }),
  atLeast: a => ({ property: a[0].text, rule: `must be at least ${a[2].text}${unit(a[3])}`, limit: `≥ ${a[2].text}${unit(a[3])}` }),
  atMost: a => ({ property: a[0].text, rule: `must be at most ${a[2].text}${unit(a[3])}`, limit: `≤ ${a[2].text}${unit(a[3])}` }),
  oneOf: a => ({ property: a[0].text, rule: `must be one of ${a[2].text}`, limit: a[2].text }),
  multipleOf: a => ({ property: a[0].text, rule: `must be a multiple of ${a[3].text} (${a[2].text})`, limit: a[2].text }),
  durationInRange: a => {
    const u = a[4]?.text ?? 'seconds';
    const [min, max] = [inUnit(a[2].text, u), inUnit(a[3].text, u)];
    return { property: a[0].text, rule: `must be between ${min} and ${max} ${u}`, limit: `${min} and ${max} ${u}` };
  },
  sizeInRange: a => {
    const [min, max] = [inUnit(a[2].text, 'mebibytes'), inUnit(a[3].text, 'mebibytes')];
    return { property: a[0].text, rule: `must be between ${min} and ${max} MiB`, limit: `${min} and ${max} MiB` };
  },
  matches: a => ({ property: a[0].text, rule: `must be ${a[3].text}`, limit: a[2].text }),
  maxLength: a => ({ property: a[0].text, rule: `must be at most ${a[2].text} characters long`, limit: `≤ ${a[2].text} characters` }),
  countInRange: a => ({ property: a[0].text, rule: `must have between ${a[2].text} and ${a[3].text} entries`, limit: `${a[2].text} to ${a[3].text} entries` }),
  requires: a => ({ property: a[0].text, rule: `requires ${a[3].text}`, limit: '' }),
  exclusive: a => ({ property: a[0].text, rule: `cannot be set together with ${a[2].text}`, limit: '' }),
};

/** Seconds (or MiB) in each unit the page writes a duration or size in. */
const UNIT_SIZE: Record<string, number> = {
  millis: 0.001, seconds: 1, minutes: 60, hours: 3600, days: 86400,
  kibibytes: 1 / 1024, mebibytes: 1, gibibytes: 1024, tebibytes: 1024 * 1024,
};

/** '24 hours' in `unit` ('hours' gives 24, 'minutes' 1440), as the validator reports it; other text as is. */
function inUnit(text: string, unit: string): string {
  const m = /^([\d.]+) (\w+?)s?$/.exec(text);
  const from = m ? (UNIT_SIZE[m[2]] ?? UNIT_SIZE[`${m[2]}s`]) : undefined;
  if (!m || from === undefined || UNIT_SIZE[unit] === undefined) return text;
  return formatNumber(Number(m[1]) * from / UNIT_SIZE[unit]);
}

interface Arg {
  /** The value as the page shows it: literals as written, anything computed as `{expression}`. */
  readonly text: string;
}

function unit(a: Arg | undefined): string {
  return a && a.text ? ` ${a.text}` : '';
}

function range(min: Arg, max: Arg, u?: Arg): string {
  return `${min.text} and ${max.text}${unit(u)}`;
}

interface Rule {
  readonly area: string;
  readonly constructs: string[];
  readonly property: string;
  readonly rule: string;
  readonly limit: string;
  readonly sources: string[];
  readonly file: string;
  readonly fn: string;
}

interface Warning {
  readonly area: string;
  readonly constructs: string[];
  readonly id: string;
  readonly message: string;
  readonly file: string;
  readonly fn: string;
}

/** The architectures, in the order of the README's table; each is a folder of lib/. */
const AREAS: Array<[string, string]> = [
  ['streaming-data-lake', 'Streaming data lake'],
  ['glue-etl', 'Glue ETL'],
  ['glue-orchestration', 'Glue orchestration (Step Functions)'],
  ['emr', 'EMR'],
  ['redshift', 'Redshift'],
  ['opensearch', 'OpenSearch'],
  ['flink', 'Managed Service for Apache Flink'],
  ['athena', 'Athena'],
  ['core', 'Shared building blocks'],
];

export function generate(): string {
  const files = listTs(LIB).filter(f => !f.endsWith('.d.ts'));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true,
  });
  const checker = program.getTypeChecker();
  // By path, so that the page does not change when an import changes the order the program loads files in.
  const sources = program.getSourceFiles().filter(s => s.fileName.startsWith(LIB) && !s.isDeclarationFile)
    .sort((a, b) => a.fileName.localeCompare(b.fileName));
  // The validator's own file: its methods call each other; the rules are their callers.
  const validatorFile = path.join(LIB, 'core', 'validation.ts');
  const callSites = new CallSites(checker, sources);

  const rules: Rule[] = [];
  const warnings: Warning[] = [];
  for (const sf of sources.filter(s => path.resolve(s.fileName) !== validatorFile)) {
    const rel = path.relative(ROOT, sf.fileName).split(path.sep).join('/');
    const area = rel.split('/')[1];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        const fn = functionName(node);
        if (METHODS[method] && isValidator(checker, node.expression.expression)) {
          const shown = (DISPLAYED[method] ?? node.arguments.map((_, i) => i).filter(i => i !== 1))
            .map(i => node.arguments[i]).filter((a): a is ts.Expression => a !== undefined);
          const seen = new Set<string>();
          for (const { env, site } of callSites.environments(node, shown)) {
            const args = node.arguments.map(a => ({ text: show(checker, a, sf, 0, env) }));
            const r = METHODS[method](args);
            const constructs = callSites.owners(site, c => isConstructClass(checker, c));
            const key = JSON.stringify([r, constructs]);
            if (seen.has(key)) continue;
            seen.add(key);
            rules.push({
              area: areaOf(site), constructs, property: r.property, rule: r.rule, limit: r.limit,
              sources: citations(node, sf), file: rel, fn,
            });
          }
        } else if (method === 'addWarningV2' && node.arguments.length >= 2) {
          warnings.push({
            area, constructs: callSites.owners(node, c => isConstructClass(checker, c)), id: show(checker, node.arguments[0], sf),
            message: show(checker, node.arguments[1], sf), file: rel, fn,
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return render(rules, warnings);
}

/** The arguments of each method that the page shows (the others are the value checked): default all but the second. */
const DISPLAYED: Record<string, number[]> = { check: [1, 3], fail: [0, 2], requires: [0, 3], exclusive: [0, 2] };

/**
 * The calls of every function of lib/, so that a check written in a helper (`checkName(v, property, value)`) is
 * listed once per caller, with the property and limits that caller gives.
 */
class CallSites {
  private readonly calls = new Map<ts.Node, ts.CallExpression[]>();

  constructor(private readonly checker: ts.TypeChecker, sources: readonly ts.SourceFile[]) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
        let symbol = checker.getSymbolAtLocation(callee);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        const decl = symbol?.valueDeclaration;
        if (decl) {
          const list = this.calls.get(decl) ?? [];
          list.push(node);
          this.calls.set(decl, list);
        }
      }
      ts.forEachChild(node, visit);
    };
    sources.forEach(visit);
  }

  /**
   * The bindings under which `args` of the check at `node` take their values: one per call of the function whose
   * parameters they name (recursively, up to three calls out), or the check alone. `site` is the outermost call,
   * the one that says which construct the check runs for.
   */
  public environments(node: ts.Node, args: ts.Expression[], depth = 0): Array<{ env: Env; site: ts.Node }> {
    const fn = this.parameterOwner(args);
    if (!fn || depth >= 3) return [{ env: EMPTY, site: node }];
    const decl = ts.isVariableDeclaration(fn.parent) ? fn.parent : fn;
    const calls = this.calls.get(decl) ?? [];
    if (calls.length === 0) return [{ env: EMPTY, site: node }];
    const out: Array<{ env: Env; site: ts.Node }> = [];
    for (const call of calls) {
      const given = fn.parameters.map((_, i) => call.arguments[i]).filter((a): a is ts.Expression => a !== undefined);
      for (const outer of this.environments(call, given, depth + 1)) {
        const env: Env = new Map();
        fn.parameters.forEach((param, i) => {
          const arg = call.arguments[i];
          const symbol = ts.isIdentifier(param.name) ? this.checker.getSymbolAtLocation(param.name) : undefined;
          if (arg && symbol) env.set(symbol, { expr: arg, env: outer.env });
        });
        out.push({ env, site: outer.site });
      }
    }
    return out;
  }

  /**
   * The construct classes a check at `node` runs for: the class it is written in when that is a construct, else
   * the owners of every call of the function around it (up to six calls out); none when no call leads to a construct.
   */
  public owners(node: ts.Node, constructClass: (c: ts.ClassDeclaration) => boolean, depth = 0, seen = new Set<ts.Node>()): string[] {
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      if (ts.isClassDeclaration(n) && n.name && constructClass(n)) return [n.name.text];
      if (ts.isFunctionLike(n) && !ts.isSourceFile(n)) {
        const decl = ts.isVariableDeclaration(n.parent) ? n.parent : n;
        const calls = this.calls.get(decl) ?? [];
        if (calls.length === 0 || depth >= 6 || seen.has(decl)) continue;
        seen.add(decl);
        const all = calls.flatMap(c => this.owners(c, constructClass, depth + 1, seen));
        if (all.length > 0) return [...new Set(all)].sort();
      }
    }
    return [];
  }

  /** The function whose parameter `args` name, if any. */
  private parameterOwner(args: ts.Expression[]): ts.SignatureDeclaration | undefined {
    let owner: ts.SignatureDeclaration | undefined;
    const visit = (n: ts.Node): void => {
      if (owner) return;
      if (ts.isIdentifier(n)) {
        const decl = this.checker.getSymbolAtLocation(n)?.valueDeclaration;
        if (decl && ts.isParameter(decl) && ts.isFunctionLike(decl.parent)) owner = decl.parent;
      }
      ts.forEachChild(n, visit);
    };
    args.forEach(visit);
    return owner;
  }
}

/** Whether `expr` is a `PropsValidator` (by its declared type, so any variable name works). */
function areaOf(node: ts.Node): string {
  return path.relative(LIB, path.resolve(node.getSourceFile().fileName)).split(path.sep)[0];
}

function isValidator(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const type = checker.getTypeAtLocation(expr);
  return (type.getSymbol() ?? type.aliasSymbol)?.getName() === 'PropsValidator';
}

/**
 * How an argument appears on the page: a literal as written (strings without quotes), a constant by its
 * literal value, `a + b` of those joined, and anything else as `{expression}`.
 */
function show(checker: ts.TypeChecker, node: ts.Expression, sf: ts.SourceFile, depth = 0, env: Env = EMPTY): string {
  if (ts.isIdentifier(node)) {
    const bound = env.get(checker.getSymbolAtLocation(node) as ts.Symbol);
    if (bound) return show(checker, bound.expr, bound.expr.getSourceFile(), depth + 1, bound.env);
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return formatNumber(Number(node.text));
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return `-${node.operand.text}`;
  }
  if (ts.isParenthesizedExpression(node)) return show(checker, node.expression, sf, depth, env);
  if (ts.isAsExpression(node)) return show(checker, node.expression, sf, depth, env);
  if (ts.isTemplateExpression(node)) {
    return node.head.text + node.templateSpans.map(s => show(checker, s.expression, sf, depth, env) + s.literal.text).join('');
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = show(checker, node.left, sf, depth, env);
    const right = show(checker, node.right, sf, depth, env);
    return left + right;
  }
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.map(e => quoteIfString(checker, e, sf, depth, env)).join(', ');
  }
  if (ts.isRegularExpressionLiteral(node)) return node.text;
  // Duration.hours(24), Size.mebibytes(64): as '24 hours', '64 mebibytes'.
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)
    && ['Duration', 'Size'].includes(node.expression.expression.text) && node.arguments.length === 1) {
    const amount = show(checker, node.arguments[0], sf, depth, env);
    const u = node.expression.name.text;
    return `${amount} ${amount === '1' ? u.replace(/s$/, '') : u}`;
  }
  if (node.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(node) && node.text === 'undefined')) return 'undefined';
  if (depth < 4 && (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node))) {
    const init = constantInitializer(checker, node);
    if (init) return show(checker, init, init.getSourceFile(), depth + 1, env);
    const type = checker.getTypeAtLocation(node);
    if (type.isNumberLiteral()) return formatNumber(type.value);
    if (type.isStringLiteral()) return type.value;
  }
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    return `<${oneLine(node.getText(sf))}>`;
  }
  return `{${oneLine(node.getText(sf))}}`;
}

/** What the parameters of the function around a check were given, at one call of that function. */
type Env = Map<ts.Symbol, { expr: ts.Expression; env: Env }>;
const EMPTY: Env = new Map();

function quoteIfString(checker: ts.TypeChecker, e: ts.Expression, sf: ts.SourceFile, depth: number, env: Env): string {
  const s = show(checker, e, sf, depth, env);
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ? `'${s}'` : s;
}

/** The initializer of a `const` (module-level or local) or a `static readonly` field with a literal value. */
function constantInitializer(checker: ts.TypeChecker, node: ts.Expression): ts.Expression | undefined {
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isVariableDeclarationList(decl.parent)
    && (decl.parent.flags & ts.NodeFlags.Const) && (isLiteralLike(decl.initializer) || isStringBuilt(decl.initializer))) {
    return decl.initializer;
  }
  if (ts.isPropertyDeclaration(decl) && decl.initializer && isLiteralLike(decl.initializer)
    && decl.modifiers?.some(m => m.kind === ts.SyntaxKind.ReadonlyKeyword)) {
    return decl.initializer;
  }
  return undefined;
}

/** A string made of literals and values: a template, or `a + b`. */
function isStringBuilt(e: ts.Expression): boolean {
  return ts.isTemplateExpression(e)
    || (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken
      && (ts.isStringLiteral(e.left) || ts.isStringLiteral(e.right) || ts.isTemplateExpression(e.left) || ts.isTemplateExpression(e.right)));
}

function isLiteralLike(e: ts.Expression): boolean {
  if (ts.isAsExpression(e)) return isLiteralLike(e.expression);
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)
    || ts.isRegularExpressionLiteral(e)
    || (ts.isArrayLiteralExpression(e) && e.elements.every(x => ts.isExpression(x) && isLiteralLike(x)))
    || (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand));
}

/** A number as the validator writes it in its messages (`String(n)`), so the page and the message agree. */
function formatNumber(n: number): string {
  return String(n);
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

/**
 * The sources a check cites: the URLs in the comments just above the statement it is in (or above the
 * statements around it, up to its function), else those in the JSDoc of its function, method or class.
 */
function citations(node: ts.Node, sf: ts.SourceFile): string[] {
  const text = sf.getFullText();
  const urlsIn = (start: number, end: number): string[] =>
    [...text.slice(start, end).matchAll(/https?:\/\/[^\s)'"`,]+/g)].map(m => m[0].replace(/[.;:]+$/, ''));
  const found = new Set<string>();
  let n: ts.Node | undefined = node;
  while (n && !ts.isSourceFile(n)) {
    if (isStatementLike(n)) {
      for (const c of ts.getLeadingCommentRanges(text, n.getFullStart()) ?? []) urlsIn(c.pos, c.end).forEach(u => found.add(u));
      const lineEnd = text.indexOf('\n', n.getStart(sf));
      for (const c of ts.getTrailingCommentRanges(text, lineEnd < 0 ? n.getEnd() : lineEnd) ?? []) {
        urlsIn(c.pos, c.end).forEach(u => found.add(u));
      }
      // Comments on the lines of a multi-line check (an argument per line): only in the statement that is the check.
      if (ts.isExpressionStatement(n) && n.expression === node) {
        const inner = text.slice(n.getStart(sf), n.getEnd());
        for (const m of inner.matchAll(/\/\/[^\n]*/g)) {
          [...m[0].matchAll(/https?:\/\/[^\s)'"`,]+/g)].forEach(u => found.add(u[0].replace(/[.;:]+$/, '')));
        }
      }
    }
    // A comment that cites a source for a group of statements (no blank line between them) cites it for each.
    if (found.size === 0 && isStatementLike(n) && ts.isBlock(n.parent)) {
      const siblings = n.parent.statements;
      for (let i = siblings.indexOf(n as ts.Statement) - 1; i >= 0 && found.size === 0; i--) {
        const gap = text.slice(siblings[i].getEnd(), siblings[i + 1].getStart(sf));
        // A blank line ends the group, and so does a comment of the statement's own (without a source): it says what
        // the statement is, so a source above it belongs to something else.
        if (/\n[ \t]*\n/.test(gap.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ''))) break;
        for (const c of ts.getLeadingCommentRanges(text, siblings[i].getFullStart()) ?? []) urlsIn(c.pos, c.end).forEach(u => found.add(u));
      }
    }
    if (found.size > 0) break;
    if (ts.isFunctionLike(n) || ts.isClassDeclaration(n)) {
      const owner = ts.isVariableDeclaration(n.parent) ? n.parent.parent.parent : n;
      for (const c of ts.getLeadingCommentRanges(text, owner.getFullStart()) ?? []) urlsIn(c.pos, c.end).forEach(u => found.add(u));
      if (found.size > 0) break;
    }
    n = n.parent;
  }
  return [...found];
}

function isStatementLike(n: ts.Node): boolean {
  return ts.isExpressionStatement(n) || ts.isIfStatement(n) || ts.isVariableStatement(n) || ts.isReturnStatement(n)
    || ts.isForOfStatement(n) || ts.isForStatement(n) || ts.isPropertyAssignment(n) || ts.isPropertyDeclaration(n);
}

function isConstructClass(checker: ts.TypeChecker, decl: ts.ClassDeclaration): boolean {
  const type = checker.getTypeAtLocation(decl);
  const seen = new Set<ts.Type>();
  const walk = (t: ts.Type): boolean => {
    if (seen.has(t)) return false;
    seen.add(t);
    if (t.getSymbol()?.getName() === 'Construct') return true;
    return (t.isClassOrInterface() ? checker.getBaseTypes(t) : []).some(walk);
  };
  return walk(type);
}

function render(rules: Rule[], warnings: Warning[]): string {
  const lines: string[] = [
    '# Validation rules',
    '',
    '<!-- Generated by `npm run docs:rules` (scripts/validation-rules.ts) from the code under lib/. Do not edit:',
    '     CI fails when this file is not what the code gives. -->',
    '',
    'Every rule the constructs check at synth. A construct reports **all** the problems of an app in one synth, each as',
    '`[<construct path>] <property> (<given value>) <rule>`, through `node.addValidation`, instead of failing at deploy time.',
    'This page is read from the code (each call on the library\'s `PropsValidator`, and each warning with an id), so it',
    'lists what the constructs check, no more and no less.',
    '',
    '- **Property**: the prop as the message names it; `<x>` parts vary (an index, a queue name).',
    '- **Rule** and **Limit**: as the code writes them. A value in braces, `{…}`, is computed by the code (for example a',
    '  limit that depends on the instance type): follow the link to see how.',
    '- **Source**: the AWS documentation the check cites, in the comments above it or on its function.',
    '- Warnings are not errors: synth goes on (`cdk synth --strict` turns them into errors), each has an id for',
    '  `Annotations.of(scope).acknowledgeWarning(id, reason)`.',
    '',
  ];
  const total = `${rules.length} rules and ${warnings.length} warnings, in ${new Set(rules.map(r => r.file)).size} files.`;
  lines.push(total, '');
  lines.push('| Architecture | Rules | Warnings |', '| --- | ---: | ---: |');
  for (const [area, title] of AREAS) {
    lines.push(`| [${title}](#${anchor(title)}) | ${rules.filter(r => r.area === area).length} | ${warnings.filter(w => w.area === area).length} |`);
  }
  const unknown = [...new Set([...rules, ...warnings].map(r => r.area))].filter(a => !AREAS.some(([x]) => x === a));
  if (unknown.length > 0) throw new Error(`lib folders without a section in scripts/validation-rules.ts AREAS: ${unknown.join(', ')}`);
  lines.push('');
  for (const [area, title] of AREAS) {
    const rs = rules.filter(r => r.area === area);
    const ws = warnings.filter(w => w.area === area);
    if (rs.length === 0 && ws.length === 0) continue;
    lines.push(`## ${title}`, '');
    if (rs.length > 0) {
      lines.push('| Construct | Property | Rule | Limit | Source | Code |', '| --- | --- | --- | --- | --- | --- |');
      for (const r of rs) {
        lines.push(`| ${r.constructs.join(', ') || '—'} | ${code(r.property)} | ${cell(r.rule)} | ${r.limit ? code(r.limit) : '—'} | ${links(r.sources)} | ${codeLink(r.file, r.fn)} |`);
      }
      lines.push('');
    }
    if (ws.length > 0) {
      lines.push('Warnings:', '', '| Construct | Id | Message | Code |', '| --- | --- | --- | --- |');
      for (const w of ws) {
        lines.push(`| ${w.constructs.join(', ') || '—'} | ${code(w.id)} | ${cell(w.message)} | ${codeLink(w.file, w.fn)} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

function cell(s: string): string {
  return oneLine(s).replace(/\|/g, '\\|');
}

function code(s: string): string {
  const t = cell(s);
  return t.includes('`') ? `<code>${t.replace(/</g, '&lt;')}</code>` : `\`${t}\``;
}

function links(urls: string[]): string {
  if (urls.length === 0) return '—';
  return urls.map(u => {
    const short = u.replace(/^https?:\/\/(docs\.aws\.amazon\.com\/)?/, '').replace(/\.html/, '');
    return `[${cell(short)}](${u})`;
  }).join('<br>');
}

function codeLink(file: string, fn: string): string {
  return `[${file.replace(/^lib\//, '')}](../${file})${fn ? ` ${code(fn)}` : ''}`;
}

/** The name of the function, method or class a check is written in: `Class.method`, `function`, or ''. */
function functionName(node: ts.Node): string {
  const names: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isClassDeclaration(n)) && n.name) {
      names.unshift(n.name.getText());
    } else if (ts.isConstructorDeclaration(n)) {
      names.unshift('constructor');
    } else if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
      names.unshift(n.parent.name.text);
    }
  }
  return names.join('.');
}

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'assets' ? [] : listTs(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

if (require.main === module) {
  const out = generate();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf-8') : '';
    if (current !== out) {
      console.error('docs/validation-rules.md is not what the code gives: run `npm run docs:rules` and commit it.');
      process.exit(1);
    }
    process.stdout.write('docs/validation-rules.md is current.\n');
  } else {
    fs.writeFileSync(OUT, out);
    process.stdout.write(`wrote ${path.relative(ROOT, OUT)}\n`);
  }
}
