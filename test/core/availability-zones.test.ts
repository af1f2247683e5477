import { Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

import { AnalyticsNetwork, EmrCluster, GlueEtlPipeline, OpenSearchCluster, RedshiftWarehouse, SecureVpc } from '../../lib';
import { missingContext, TEST_ENV, testApp, testStack } from '../util/app';

// Exactly what a user meets: a plain `Stack` with an explicit account and region, no `availabilityZones`
// override on it and nothing in the context (testStack), and the zones given to the construct only.
const AZS_2 = ['us-east-1a', 'us-east-1b'];
const AZS_3 = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const AZ_CONTEXT_KEY = `availability-zones:account=${TEST_ENV.account}:region=${TEST_ENV.region}`;

/** The zones of the subnets the stack's template creates. */
function subnetZones(stack: Stack): string[] {
  const subnets = Template.fromStack(stack).findResources('AWS::EC2::Subnet');
  return [...new Set(Object.values(subnets).map(s => s.Properties.AvailabilityZone as string))].sort();
}

function synthErrors(stack: Stack): string {
  try {
    Template.fromStack(stack);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('given Availability Zones are all synth needs, in a stack with an explicit env and no override', () => {
  const builders: Array<[string, (stack: Stack) => void, string[]]> = [
    ['SecureVpc', s => new SecureVpc(s, 'Net', { availabilityZones: AZS_2 }), AZS_2],
    ['RedshiftWarehouse (AnalyticsNetwork.newVpc)', s => new RedshiftWarehouse(s, 'Warehouse', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS_2 }) }), AZS_2],
    ['GlueEtlPipeline (its default network)', s => new GlueEtlPipeline(s, 'Etl', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS_2 }) }), AZS_2],
    ['OpenSearchCluster (AnalyticsNetwork.newVpc)', s => new OpenSearchCluster(s, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS_3 }) }), AZS_3],
    ['EmrCluster (AnalyticsNetwork.newVpc)', s => new EmrCluster(s, 'Cluster', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS_2 }) }), AZS_2],
  ];
  test.each(builders)('%s: no context lookup, subnets in the given zones', (_name, build, zones) => {
    const stack = testStack();
    build(stack);
    expect(missingContext(stack)).toEqual([]);
    expect(subnetZones(stack)).toEqual(zones);
  });

  test('the stack\'s own availabilityZones getter is back after the VPC is built (it still looks up when read)', () => {
    const stack = testStack();
    new SecureVpc(stack, 'Net', { availabilityZones: AZS_2 });
    expect(Object.getOwnPropertyDescriptor(stack, 'availabilityZones')).toBeUndefined();
    expect(stack.availabilityZones).toEqual(['dummy1a', 'dummy1b', 'dummy1c']);
  });
});

describe('where zones would need a lookup, synth fails naming the construct, the property and the fix', () => {
  test('fails a SecureVpc given no zones in a stack with an explicit env, instead of a lookup', () => {
    const stack = testStack();
    new SecureVpc(stack, 'Net');
    const message = synthErrors(stack);
    expect(message).toContain('[Test/Net] availabilityZones must be given: stack Test has an explicit account and region (111111111111, us-east-1)');
    expect(message).toContain('Pass availabilityZones (for example [\'us-east-1a\', \'us-east-1b\'])');
    expect(message).toContain(`or set the context key '${AZ_CONTEXT_KEY}'`);
  });

  test('fails each architecture\'s default network given no zones, naming the network inside it', () => {
    const stack = testStack();
    new EmrCluster(stack, 'Cluster');
    new RedshiftWarehouse(stack, 'Warehouse');
    const message = synthErrors(stack);
    expect(message).toContain('[Test/Cluster/Network] availabilityZones must be given');
    expect(message).toContain('[Test/Warehouse/Network] availabilityZones must be given');
  });

  test('fails zones of another region, naming each one', () => {
    const stack = testStack();
    new SecureVpc(stack, 'Net', { availabilityZones: ['us-east-1a', 'eu-west-1b', 'us-east-1'] });
    const message = synthErrors(stack);
    expect(message).toContain('[Test/Net] availabilityZones (\'eu-west-1b\') must be an Availability Zone of the stack\'s region us-east-1 (for example \'us-east-1a\')');
    expect(message).toContain('[Test/Net] availabilityZones (\'us-east-1\') must be an Availability Zone of the stack\'s region us-east-1');
    expect(message).not.toContain('(\'us-east-1a\')');
  });

  test('accepts Local Zones of the region, and token zones unchecked', () => {
    const stack = testStack();
    new SecureVpc(stack, 'Net', { availabilityZones: ['us-east-1-bos-1a', 'us-east-1b', Fn.select(2, Fn.getAzs())] });
    expect(synthErrors(stack)).toBe('');
    expect(missingContext(stack)).toEqual([]);
  });

  test('fails an empty zone list', () => {
    const stack = testStack();
    new SecureVpc(stack, 'Net', { availabilityZones: [] });
    expect(synthErrors(stack)).toContain('[Test/Net] availabilityZones ([]) must list at least one Availability Zone');
  });
});

describe('where the stack already knows its zones, they are used as before', () => {
  test('the context holds them (cdk.context.json): no zones needed, given zones checked against them', () => {
    const make = () => new Stack(testApp({ builtinCloudFormationValidation: false, context: { [AZ_CONTEXT_KEY]: ['us-east-1a', 'us-east-1c'] } }), 'Test', { env: TEST_ENV });
    const defaulted = make();
    new SecureVpc(defaulted, 'Net');
    expect(missingContext(defaulted)).toEqual([]);
    expect(subnetZones(defaulted)).toEqual(['us-east-1a', 'us-east-1c']);

    const given = make();
    new SecureVpc(given, 'Net', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
    expect(synthErrors(given)).toContain('[Test/Net] availabilityZones (\'us-east-1b\') must be one of the Availability Zones the context holds ' +
      'for this account and region (us-east-1a, us-east-1c)');
  });

  test('the Stack class overrides availabilityZones (the examples\' way): no zones needed, and given zones still work', () => {
    class FixedAzStack extends Stack {
      public override get availabilityZones(): string[] {
        return ['us-east-1d', 'us-east-1e', 'us-east-1f'];
      }
    }
    const stack = new FixedAzStack(testApp({ builtinCloudFormationValidation: false }), 'Test', { env: TEST_ENV });
    new SecureVpc(stack, 'Defaulted', { cidr: '10.1.0.0/16' });
    new SecureVpc(stack, 'Given', { availabilityZones: ['us-east-1f'] });
    expect(missingContext(stack)).toEqual([]);
    expect(subnetZones(stack)).toEqual(['us-east-1d', 'us-east-1e', 'us-east-1f']);
  });

  test('an environment-agnostic stack uses Fn::GetAZs without a lookup, and skips the region check', () => {
    const stack = new Stack(testApp({ builtinCloudFormationValidation: false }), 'Agnostic');
    const net = new SecureVpc(stack, 'Net');
    new SecureVpc(stack, 'Given', { availabilityZones: ['eu-west-1a'], cidr: '10.1.0.0/16' });
    expect(missingContext(stack)).toEqual([]);
    expect(synthErrors(stack)).toBe('');
    expect(stack.resolve(net.vpc.availabilityZones[0])).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
  });

  test('a stack with a region and no account checks the region of the given zones', () => {
    const stack = new Stack(testApp({ builtinCloudFormationValidation: false }), 'Regional', { env: { region: 'eu-west-1' } });
    new SecureVpc(stack, 'Net', { availabilityZones: ['us-east-1a'] });
    expect(synthErrors(stack)).toContain('[Regional/Net] availabilityZones (\'us-east-1a\') must be an Availability Zone of the stack\'s region eu-west-1');
  });
});

describe('workloadSubnets', () => {
  test.each([0, 1])('selects the workload subnets with %i NAT gateways, whatever their type', natGateways => {
    const stack = testStack();
    const net = new SecureVpc(stack, 'Net', { availabilityZones: AZS_2, natGateways, subnetName: 'Work' });
    expect(net.workloadSubnets).toEqual({ subnetGroupName: 'Work' });
    const selected = net.vpc.selectSubnets(net.workloadSubnets).subnets;
    expect(selected).toEqual(natGateways === 0 ? net.vpc.isolatedSubnets : net.vpc.privateSubnets);
    expect(selected).toHaveLength(2);
  });

  test('places a workload in an isolated-only shared VPC, where a PRIVATE_WITH_EGRESS selection throws', () => {
    const stack = testStack();
    const net = new SecureVpc(stack, 'Net', { availabilityZones: AZS_2 });
    expect(() => net.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS })).toThrow(/There are no 'Private' subnet groups/);
    expect(net.vpc.selectSubnets(net.workloadSubnets).subnetIds).toHaveLength(2);
  });
});
