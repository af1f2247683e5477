/**
 * `npm run diagrams`: one architecture diagram per example stack, under docs/diagrams/<Stack>.png.
 *
 * 1. synthesizes the examples app (`cdk synth --quiet`, cdk-nag packs off: they add no constructs) into a
 *    temporary cloud assembly;
 * 2. marks this library's constructs "do not collapse" in tree.json (see `keepOpen`), then runs cdk-dia on
 *    it once per stack (`--include <stack>`), which writes a Graphviz file and renders it;
 * 3. renders that Graphviz file again with `dot` at DIAGRAM_DPI (cdk-dia renders at 200 dpi, which gives
 *    7000-pixel, 2 MB images; 100 dpi is still sharp on a screen and a quarter of the size).
 *
 * Prerequisite: Graphviz's `dot` on the PATH (Debian/Ubuntu: `sudo apt-get install graphviz`).
 *
 * Usage: npm run diagrams
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const DIAGRAM_DPI = 100;
const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'docs', 'diagrams');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

function main(): void {
  if (spawnSync('dot', ['-V'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('Graphviz `dot` is not on the PATH: install it first (Debian/Ubuntu: sudo apt-get install graphviz)');
  }
  const assembly = fs.mkdtempSync(path.join(os.tmpdir(), 'diagrams-'));
  try {
    console.error(`synthesizing the examples app into ${assembly}`);
    execFileSync(bin('cdk'), ['synth', '--quiet', '--context', 'nag=false', '--output', assembly], { cwd: root, stdio: 'inherit' });
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf-8'));
    const stacks = Object.entries(manifest.artifacts as Record<string, { type: string; displayName?: string }>)
      .filter(([, a]) => a.type === 'aws:cloudformation:stack')
      .map(([id, a]) => a.displayName ?? id);
    const treeFile = path.join(assembly, 'tree.json');
    const tree = JSON.parse(fs.readFileSync(treeFile, 'utf-8'));
    console.error(`${keepOpen(tree.tree)} constructs kept open`);
    fs.writeFileSync(treeFile, JSON.stringify(tree));
    fs.mkdirSync(outDir, { recursive: true });
    // Diagrams of stacks that no longer exist must not linger.
    for (const f of fs.readdirSync(outDir)) {
      if (f.endsWith('.png') && !stacks.includes(f.slice(0, -'.png'.length))) fs.rmSync(path.join(outDir, f));
    }
    for (const stack of stacks) {
      const target = path.join(assembly, `${stack}.png`);
      execFileSync(bin('cdk-dia'), ['--tree', treeFile, '--target', target, '--include', stack],
        { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      const dot = path.join(assembly, `${stack}.dot`);
      const png = path.join(outDir, `${stack}.png`);
      execFileSync('dot', [`-Gdpi=${DIAGRAM_DPI}`, '-Tpng', '-o', png, dot], { stdio: 'inherit' });
      console.error(`${path.relative(root, png)} (${Math.round(fs.statSync(png).size / 1024)} KiB)`);
    }
  } finally {
    fs.rmSync(assembly, { recursive: true, force: true });
  }
}

interface TreeNode { id: string; children?: Record<string, TreeNode>; attributes?: Record<string, unknown>; constructInfo?: { fqn: string } }

/**
 * cdk-dia draws a construct with a child named `Resource` as that one resource (right for an aws-cdk-lib L2
 * such as `s3.Bucket`), so an L3 like `EmrCluster`, whose main resource is `Resource`, would hide its VPC,
 * roles and alarms behind a single box. Plain constructs (fqn `constructs.Construct`: this library's, as
 * the app loads it from TypeScript) with more children than `Resource` get cdk-dia's own customization
 * attribute `CDK-DIA_CollapssingCustomizer: FORCE_NON_COLLAPSE` (what its `CdkDia.decorate` would write),
 * so that they are drawn as a group; their children still collapse as usual.
 */
function keepOpen(node: TreeNode): number {
  let n = 0;
  const children = Object.values(node.children ?? {});
  if (node.constructInfo?.fqn === 'constructs.Construct' && node.children?.Resource && children.length > 1) {
    node.attributes = { ...node.attributes, 'CDK-DIA_CollapssingCustomizer': 'FORCE_NON_COLLAPSE' };
    n++;
  }
  return children.reduce((sum, c) => sum + keepOpen(c), n);
}

main();
