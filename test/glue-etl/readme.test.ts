/**
 * The README's Glue ETL snippet is the code of examples/glue-etl/quickstart, not a copy that can drift: this test
 * checks that the README shows it and its script verbatim, and that the stack synthesizes as a new user's would
 * (explicit env, no lookup, the four cdk-nag packs clean).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { GlueQuickstartStack } from '../../examples/glue-etl/quickstart';
import { TEST_ENV, missingContext, testApp } from '../util/app';
import { nagFindings } from '../util/nag';

const ROOT = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const glueSection = readme.slice(readme.indexOf('## Glue ETL pipeline in a VPC'), readme.indexOf('## EMR on EC2'));

/** The code blocks of `language` in `markdown`, in order. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map(m => m[1]);
}

describe('README Glue snippet', () => {
  test('is the code of examples/glue-etl/quickstart between its README markers', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples', 'glue-etl', 'quickstart', 'index.ts'), 'utf-8');
    const region = source.slice(source.indexOf('// README:start\n') + '// README:start\n'.length, source.indexOf('    // README:end'));
    const dedented = region.split('\n').map(line => line.replace(/^ {4}/, '')).join('\n');
    expect(codeBlocks(glueSection, 'ts')[0]).toEqual(dedented);
  });

  test('shows the script the snippet needs, verbatim', () => {
    const script = fs.readFileSync(path.join(ROOT, 'examples', 'glue-etl', 'quickstart', 'scripts', 'raw_to_parquet.py'), 'utf-8');
    expect(codeBlocks(glueSection, 'python')[0]).toEqual(script);
  });

  describe('in a stack with an explicit env (synthesized once, as `cdk synth` does)', () => {
    let stack: GlueQuickstartStack;
    beforeAll(() => {
      stack = new GlueQuickstartStack(testApp(), 'GlueQuickstart', { env: TEST_ENV });
      Template.fromStack(stack);
    });

    test('synthesizes with no cdk-nag finding', () => {
      expect(nagFindings(stack)).toEqual([]);
    });

    test('synthesizes with no context lookup (the given zones are enough)', () => {
      expect(missingContext(stack)).toEqual([]);
    });
  });
});
