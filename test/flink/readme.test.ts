/**
 * The README's FlinkApplication snippet is the code of examples/flink-analytics between its README markers: this test
 * keeps them identical (the example itself is synthesized, with the four cdk-nag packs, in example.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const section = readme.slice(readme.indexOf('## FlinkApplication:'), readme.indexOf('### Defaults, and why', readme.indexOf('## FlinkApplication:')));

describe('README FlinkApplication snippet', () => {
  test('is the code of examples/flink-analytics between its README markers', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples', 'flink-analytics', 'index.ts'), 'utf-8');
    const region = source.slice(source.indexOf('// README:start\n') + '// README:start\n'.length, source.indexOf('    // README:end'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1];
    expect(block).toEqual(region.split('\n').map(line => line.replace(/^ {4}/, '')).join('\n'));
  });
});
