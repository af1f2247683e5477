/**
 * The Glue ETL snippet of docs/glue-etl.md is the code of examples/glue-etl/quickstart, not a copy that can drift: this
 * test checks that the page shows it and its script verbatim, and that the stack synthesizes as a new user's would
 * (explicit env, no lookup, the four cdk-nag packs clean).
 */
import { Template } from 'aws-cdk-lib/assertions';

import { GlueQuickstartStack } from '../../examples/glue-etl/quickstart';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';
import { docSnippets } from '../util/readme';

describe('docs Glue snippet', () => {
  test('is the code of examples/glue-etl/quickstart between its README markers', () => {
    const { blocks, regions } = docSnippets('docs/glue-etl.md', 'examples/glue-etl/quickstart/index.ts');
    expect(regions).toHaveLength(1);
    expect(blocks).toEqual(regions);
  });

  test('shows the script the snippet needs, verbatim', () => {
    const { blocks, regions } = docSnippets('docs/glue-etl.md', 'examples/glue-etl/quickstart/scripts/raw_to_parquet.py');
    expect(blocks).toEqual(regions);
  });

  describe('in a stack with an explicit env (synthesized once, as `cdk synth` does)', () => {
    let stack: GlueQuickstartStack;
    beforeAll(() => {
      stack = new GlueQuickstartStack(quickstartApp(), 'GlueQuickstart', { env: TEST_ENV });
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
