import * as fs from 'fs';
import * as path from 'path';

/**
 * Every example is copyable: it reaches the library only through the package name, as a user's app does,
 * looks nothing up at synth, and bin/app.ts synthesizes it. Source checks only, no synthesis.
 */
const root = path.join(__dirname, '..', '..');
const examplesDir = path.join(root, 'examples');
const exampleDirs = fs.readdirSync(examplesDir, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const source = fs.readFileSync(file, 'utf-8');
  return [...source.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map(m => m[1]);
}

describe('examples are copyable', () => {
  test('there are examples to check, the composed platform among them', () => {
    expect(exampleDirs).toContain('analytics-platform');
    expect(exampleDirs.length).toBeGreaterThanOrEqual(6);
  });

  test.each(exampleDirs)('%s reaches the library only as cdk-analytics-blueprints', dir => {
    const files = tsFiles(path.join(examplesDir, dir));
    const escaping = files.flatMap(file => importsOf(file)
      .filter(spec => spec.startsWith('.') && !path.resolve(path.dirname(file), spec).startsWith(path.join(examplesDir, dir)))
      .map(spec => `${path.relative(root, file)}: ${spec}`));
    expect(escaping).toEqual([]);
    expect(files.some(file => importsOf(file).includes('cdk-analytics-blueprints'))).toBe(true);
  });

  test.each(exampleDirs)('%s looks nothing up at synth', dir => {
    const lookups = tsFiles(path.join(examplesDir, dir)).flatMap(file => fs.readFileSync(file, 'utf-8').split('\n')
      .filter(line => /\bfromLookup\(|valueFromLookup\(|\.lookup\(/.test(line))
      .map(line => `${path.relative(root, file)}: ${line.trim()}`));
    expect(lookups).toEqual([]);
  });

  test('bin/app.ts synthesizes every example', () => {
    const imported = importsOf(path.join(root, 'bin', 'app.ts'))
      .filter(spec => spec.startsWith('../examples/'))
      .map(spec => spec.split('/')[2]);
    expect([...new Set(imported)].sort()).toEqual(exampleDirs);
  });
});
