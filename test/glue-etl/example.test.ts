import { Template } from 'aws-cdk-lib/assertions';
import { GlueEtlStack } from '../../examples/glue-etl';
import { TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('GlueEtlStack example', () => {
  let stack: GlueEtlStack;
  let template: Template;
  beforeAll(() => {
    stack = new GlueEtlStack(testApp(), 'GlueEtl', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges only the findings listed here (contract list)', () => {
    expect(nagAcknowledgments(stack.pipeline)).toEqual([]);
  });
});
