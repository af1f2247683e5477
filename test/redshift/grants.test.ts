import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';

import { AnalyticsNetwork, ManagedPolicyRole, RedshiftWarehouse } from '../../lib';
import { decide, TemplateResolver } from '../core/policy-simulator';
import { TEST_ENV, testStack } from '../util/app';
import { nagFindings } from '../util/nag';
import { validationMessages } from '../util/validation-messages';

/**
 * `grantConnect`: IAM authentication to the warehouse (GetClusterCredentials) for one database user, with exact
 * actions and resources, so a `ManagedPolicyRole` grantee has no nag finding.
 */
describe('RedshiftWarehouse.grantConnect', () => {
  let stack: Stack;
  let role: ManagedPolicyRole;
  let policyDocument: unknown;
  beforeAll(() => {
    stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] });
    const warehouse = new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc), clusterIdentifier: 'sales', databaseName: 'analytics' });
    role = new ManagedPolicyRole(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    warehouse.grantConnect(role, 'analyst', ['bi_readers']);
    const resources = Template.fromStack(stack).toJSON().Resources;
    const resolver = new TemplateResolver(resources, { ...TEST_ENV, stackName: stack.stackName });
    policyDocument = resolver.resolve(resources[stack.getLogicalId(role.policy.node.defaultChild as CfnResource)].Properties.PolicyDocument);
  });

  const arn = (r: string) => `arn:aws:redshift:us-east-1:111111111111:${r}`;

  test('lists exact actions on the cluster, the user, its database and its groups', () => {
    expect(policyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'redshift:DescribeClusters', Resource: arn('cluster:sales') },
        { Effect: 'Allow', Action: 'redshift:GetClusterCredentials', Resource: [arn('dbname:sales/analytics'), arn('dbuser:sales/analyst')] },
        { Effect: 'Allow', Action: 'redshift:JoinGroup', Resource: arn('dbgroup:sales/bi_readers') },
      ],
    });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('leaves no nag finding on a ManagedPolicyRole grantee', () => {
    expect(nagFindings(role)).toEqual([]);
  });

  test('lets the grantee get credentials for that user and database only', async () => {
    const as = (action: string, resource: string) => decide(undefined, {
      principal: 'arn:aws:iam::111111111111:role/Analyst', action, resource, identityPolicies: [policyDocument],
    }, TEST_ENV.account);
    await expect(as('redshift:GetClusterCredentials', arn('dbuser:sales/analyst'))).resolves.toBe('Allowed');
    await expect(as('redshift:GetClusterCredentials', arn('dbuser:sales/warehouse_admin'))).resolves.not.toBe('Allowed');
    await expect(as('redshift:GetClusterCredentials', arn('dbuser:other/analyst'))).resolves.not.toBe('Allowed');
    await expect(as('redshift:JoinGroup', arn('dbgroup:sales/admins'))).resolves.not.toBe('Allowed');
  });

  test('fails a database user or group name Redshift rejects', () => {
    const s = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] });
    const w = new RedshiftWarehouse(s, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc) });
    const grantee = new ManagedPolicyRole(s, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    w.grantConnect(grantee, 'Analyst*', ['ok', 'no/slash']);
    expect(s.node.findAll().flatMap(validationMessages)).toEqual([
      "Test/Wh: grantConnect databaseUser ('Analyst*') must be 1 to 128 lowercase letters, digits or the characters _ + . @ -, starting with a letter",
      "Test/Wh: grantConnect databaseGroups[1] ('no/slash') must be 1 to 127 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore",
    ]);
  });
});
