/**
 * The endpoint policies of `SecureVpc`, evaluated as IAM evaluates a request through a VPC endpoint: the
 * caller's identity policy allows everything, so the endpoint policy alone decides. The S3 gateway endpoint
 * reaches this account's buckets and, in a VPC that runs EMR, the AWS-owned buckets the EMR guide lists; an
 * interface endpoint carries requests of this account's principals only.
 *
 * test/access/engine.ts does not pass endpoint policies; iam-simulate evaluates them (`vpcEndpointPolicies`),
 * so the requests are run through it directly.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

import { S3EndpointAccess, SecureVpc } from '../../lib';
import { TEST_ENV, testStack } from '../util/app';

const ACCOUNT = TEST_ENV.account;
const OTHER = '222222222222';
/** The account of AWS-owned buckets in these requests: any account but the two above. */
const AWS_OWNED = '333333333333';

const stack = testStack('Endpoints');
const plain = new SecureVpc(stack, 'Plain', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
const sts = plain.addInterfaceEndpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
const emr = new SecureVpc(stack, 'Emr', {
  availabilityZones: ['us-east-1a', 'us-east-1b'], cidr: '10.1.0.0/16', natGateways: 1,
  s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(stack),
});
/** The endpoint's policy, resolved as CloudFormation deploys it (the partition is `aws` here). */
const policyOf = (endpoint: ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint) => JSON.parse(JSON.stringify(
  stack.resolve((endpoint.node.defaultChild as ec2.CfnVPCEndpoint).policyDocument)).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws$1"'));

interface Call {
  readonly why: string;
  readonly endpoint: ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint;
  readonly principalAccount: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly expect: 'Allowed' | 'ImplicitlyDenied';
  readonly anonymous?: boolean;
}

async function decide(call: Call): Promise<string> {
  const principal = `arn:aws:sts::${call.principalAccount}:assumed-role/Workload/session`;
  const response = await runSimulation({
    request: {
      principal: call.anonymous ? { type: 'Anonymous' } : principal,
      action: call.action,
      resource: { resource: call.resource, accountId: call.resourceAccount },
      // What IAM puts in every request: the account that owns the resource, and the caller's account.
      contextVariables: call.anonymous ? { 'aws:ResourceAccount': call.resourceAccount }
        : { 'aws:ResourceAccount': call.resourceAccount, 'aws:PrincipalAccount': call.principalAccount },
    },
    // The caller may do anything: only the endpoint policy can refuse.
    identityPolicies: call.anonymous ? [] : [{ name: 'AllowAll', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    // A bucket of another account (an AWS-owned repository, an attacker's bucket) admits the request by its own
    // policy: the endpoint policy is what is under test.
    resourcePolicy: call.anonymous || call.resourceAccount !== call.principalAccount
      ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: call.action, Resource: call.resource }] } : undefined,
    vpcEndpointPolicies: [{ name: 'endpoint policy', policy: policyOf(call.endpoint) }],
  }, {});
  if (response.resultType !== 'single') throw new Error(`${call.why}: ${JSON.stringify(response)}`);
  return response.result.analysis.result;
}

const calls: Call[] = [
  { why: 'a workload reads a bucket of this account', endpoint: plain.s3Endpoint!, principalAccount: ACCOUNT, action: 's3:GetObject',
    resource: 'arn:aws:s3:::lake-bucket/raw/a.json', resourceAccount: ACCOUNT, expect: 'Allowed' },
  { why: 'a workload writes a bucket of this account', endpoint: plain.s3Endpoint!, principalAccount: ACCOUNT, action: 's3:PutObject',
    resource: 'arn:aws:s3:::lake-bucket/curated/a.parquet', resourceAccount: ACCOUNT, expect: 'Allowed' },
  { why: 'nothing leaves the VPC for another account\'s bucket, even with credentials that allow it', endpoint: plain.s3Endpoint!,
    principalAccount: ACCOUNT, action: 's3:PutObject', resource: 'arn:aws:s3:::exfiltration-bucket/dump.csv', resourceAccount: OTHER, expect: 'ImplicitlyDenied' },
  { why: 'credentials of another account reach no bucket of theirs from this VPC either', endpoint: plain.s3Endpoint!,
    principalAccount: OTHER, action: 's3:PutObject', resource: 'arn:aws:s3:::exfiltration-bucket/dump.csv', resourceAccount: OTHER, expect: 'ImplicitlyDenied' },
  { why: 'a VPC without EMR statements reaches no AWS-owned repository', endpoint: plain.s3Endpoint!, principalAccount: ACCOUNT,
    action: 's3:GetObject', resource: 'arn:aws:s3:::al2023-repos-us-east-1-de612dc2/core/mirrors/repomd.xml', resourceAccount: AWS_OWNED, expect: 'ImplicitlyDenied' },
  { why: 'EMR nodes read the Amazon Linux 2023 repository (dnf, anonymously)', endpoint: emr.s3Endpoint!, principalAccount: ACCOUNT, anonymous: true,
    action: 's3:GetObject', resource: 'arn:aws:s3:::al2023-repos-us-east-1-de612dc2/core/mirrors/repomd.xml', resourceAccount: AWS_OWNED, expect: 'Allowed' },
  { why: 'EMR nodes read the EMR repository', endpoint: emr.s3Endpoint!, principalAccount: ACCOUNT,
    action: 's3:GetObject', resource: 'arn:aws:s3:::repo.us-east-1.emr.amazonaws.com/emr-7.13.0/repodata/repomd.xml', resourceAccount: AWS_OWNED, expect: 'Allowed' },
  { why: 'EMR writes its system logs (us-east-1 bucket name)', endpoint: emr.s3Endpoint!, principalAccount: ACCOUNT,
    action: 's3:PutObject', resource: 'arn:aws:s3:::aws157-logs-prod/j-1ABC/node/i-0a/daemons/x.gz', resourceAccount: AWS_OWNED, expect: 'Allowed' },
  { why: 'EMR nodes write nothing into a repository', endpoint: emr.s3Endpoint!, principalAccount: ACCOUNT,
    action: 's3:PutObject', resource: 'arn:aws:s3:::repo.us-east-1.emr.amazonaws.com/x', resourceAccount: AWS_OWNED, expect: 'ImplicitlyDenied' },
  { why: 'the EMR statements open no other account\'s bucket', endpoint: emr.s3Endpoint!, principalAccount: ACCOUNT,
    action: 's3:PutObject', resource: 'arn:aws:s3:::exfiltration-bucket/dump.csv', resourceAccount: OTHER, expect: 'ImplicitlyDenied' },
  { why: 'a workload of this account calls STS through the interface endpoint', endpoint: sts, principalAccount: ACCOUNT,
    action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/IsmFunctionRole`, resourceAccount: ACCOUNT, expect: 'Allowed' },
  { why: 'credentials of another account cannot be used through the interface endpoint', endpoint: sts, principalAccount: OTHER,
    action: 'sts:AssumeRole', resource: `arn:aws:iam::${OTHER}:role/Attacker`, resourceAccount: OTHER, expect: 'ImplicitlyDenied' },
];

describe('SecureVpc endpoint policies: requests through the endpoints', () => {
  test.each(calls.map(c => [`${c.expect}: ${c.why}`, c] as const))('%s', async (_name, call) => {
    expect(await decide(call)).toBe(call.expect);
  });
});
