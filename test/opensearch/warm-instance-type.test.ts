/**
 * UltraWarm instance types as an enum-like class: the known types, and `of()` for a type AWS adds later, which synth
 * accepts with a warning. No template is synthesized: validation and annotations are enough.
 */
import { AnalyticsNetwork, OpenSearchCluster, OpenSearchWarmInstanceType } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function build(warmInstanceType: OpenSearchWarmInstanceType): { errors: string[]; warnings: string[] } {
  const stack = testStack();
  new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), warmNodes: 3, warmInstanceType });
  const all = stack.node.findAll();
  return {
    errors: all.flatMap(validationMessages),
    warnings: all.flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data))),
  };
}

describe('OpenSearchWarmInstanceType', () => {
  test('names the known UltraWarm types as the API spells them', () => {
    expect(OpenSearchWarmInstanceType.ULTRAWARM1_MEDIUM.name).toBe('ultrawarm1.medium.search');
    expect(OpenSearchWarmInstanceType.ULTRAWARM1_LARGE.toString()).toBe('ultrawarm1.large.search');
    expect(OpenSearchWarmInstanceType.KNOWN.map(t => t.name)).toEqual(['ultrawarm1.medium.search', 'ultrawarm1.large.search']);
  });

  test('accepts a type of() that AWS may have added since, with a warning that names it and the known ones', () => {
    const { errors, warnings } = build(OpenSearchWarmInstanceType.of('ultrawarm2.large.search'));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining(
      "warmInstanceType ('ultrawarm2.large.search') is not one the construct knows (ultrawarm1.medium.search, ultrawarm1.large.search)")]);
  });

  test('takes a known type without a warning', () => {
    expect(build(OpenSearchWarmInstanceType.ULTRAWARM1_LARGE).warnings.filter(w => w.includes('warmInstanceType'))).toEqual([]);
  });
});
