/**
 * Runtime access of the grant methods, as a user calls them on a role of their own: each grant's exact actions
 * allow the calls the grantee makes, on this resource only, and nothing beyond them. One small stack, synthesized
 * once: a Redshift warehouse and an EMR cluster in imported VPCs, a Glue pipeline with a workflow, an OpenSearch
 * domain with a public endpoint.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { AnalyticsNetwork, EmrCluster, GlueEtlPipeline, GlueWorkflowStart, ManagedPolicyRole, OpenSearchCluster, RedshiftWarehouse } from '../../lib';
import { testStack } from '../util/app';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = testStack('Grants');
const role = (id: string) => new ManagedPolicyRole(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
  vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'],
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], privateSubnetRouteTableIds: ['rtb-0123456789abcdef0', 'rtb-1'],
});

const warehouse = new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc), clusterIdentifier: 'sales' });
const operator = role('Operator');
const sql = role('Sql');
warehouse.grantAdminSecretRead(operator);
warehouse.grantDataApiAccess(sql);

const cluster = new EmrCluster(stack, 'Emr', { network: AnalyticsNetwork.fromVpc(vpc), alarmsEnabled: false, dashboardEnabled: false });
const submitter = role('Submitter');
cluster.grantAddSteps(submitter);

const scripts = s3.Bucket.fromBucketName(stack, 'Scripts', 'scripts');
const etl = new GlueEtlPipeline(stack, 'Etl', {
  network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0123456789abcdef0')] } }), connection: { availabilityZone: 'us-east-1a' },
  workflow: { start: GlueWorkflowStart.onDemand(), run: ['Job'] },
  sparkEtlJobs: { Job: { script: glue.Code.fromBucket(scripts, 'job.py'), timeout: Duration.hours(1) } },
  failureNotificationsEnabled: false,
});
const starter = role('Starter');
etl.grantStartWorkflow(starter);

const search = new OpenSearchCluster(stack, 'Search', {
  network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']), alarmsEnabled: false, dashboardEnabled: false,
});
const reader = role('Reader');
const writer = role('Writer');
const both = role('Both');
search.grantRead(reader);
search.grantWrite(writer);
search.grantReadWrite(both);

const m = AccessModel.of(stack);
const clusterArn = `arn:aws:redshift:${m.region}:${m.account}:cluster:sales`;
const otherCluster = clusterArn.replace(':cluster:sales', ':cluster:other');
const secret = m.value(warehouse.adminSecretArn);
const key = m.value(warehouse.encryptionKey.keyArn);
const viaSecrets = { 'kms:ViaService': `secretsmanager.${m.region}.amazonaws.com` };
const emrArn = m.value(cluster.clusterArn);
const workflowArn = m.value(etl.workflow!.workflowArn);
const domainArn = m.value(search.domain.domainArn);
const index = `${domainArn}/logs-2026.12.02/_search`;

const paths: AccessPath[] = [
  // Redshift: the admin secret, and SQL through the Data API.
  ...['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'].map(action => ({
    why: 'an operator granted grantAdminSecretRead reads the admin secret', principal: m.role(operator), action, resource: secret, expect: 'allow' as const,
  })),
  { why: 'an operator decrypts the secret through Secrets Manager', principal: m.role(operator), action: 'kms:Decrypt', resource: key,
    context: viaSecrets, expect: 'allow' },
  { why: 'an operator cannot decrypt with the warehouse key outside Secrets Manager', principal: m.role(operator), action: 'kms:Decrypt',
    resource: key, expect: 'deny' },
  { why: 'an operator cannot change the secret', principal: m.role(operator), action: 'secretsmanager:PutSecretValue', resource: secret, expect: 'deny' },
  { why: 'the Data API user runs SQL on the cluster', principal: m.role(sql), action: 'redshift-data:ExecuteStatement', resource: clusterArn, expect: 'allow' },
  { why: 'the Data API user runs batches on the cluster', principal: m.role(sql), action: 'redshift-data:BatchExecuteStatement', resource: clusterArn,
    expect: 'allow' },
  { why: 'the Data API user runs no SQL on another cluster', principal: m.role(sql), action: 'redshift-data:ExecuteStatement', resource: otherCluster,
    expect: 'deny' },
  ...['redshift-data:DescribeStatement', 'redshift-data:GetStatementResult', 'redshift-data:CancelStatement', 'redshift-data:ListStatements'].map(action => ({
    why: 'the Data API user follows their own statements', principal: m.role(sql), action, resource: '*',
    context: { 'redshift-data:statement-owner-iam-userid': 'AROAEXAMPLE:sql', 'aws:userid': 'AROAEXAMPLE:sql' }, expect: 'allow' as const,
  })),
  { why: 'the Data API user reads no result of another caller\'s statement', principal: m.role(sql), action: 'redshift-data:GetStatementResult',
    resource: '*', context: { 'redshift-data:statement-owner-iam-userid': 'AROAOTHER:someone', 'aws:userid': 'AROAEXAMPLE:sql' }, expect: 'deny' },
  { why: 'the Data API user reads the admin secret the Data API authenticates with', principal: m.role(sql), action: 'secretsmanager:GetSecretValue',
    resource: secret, expect: 'allow' },
  // EMR: steps.
  ...['elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:DescribeStep', 'elasticmapreduce:ListSteps'].map(action => ({
    why: 'a submitter granted grantAddSteps adds and follows steps', principal: m.role(submitter), action, resource: emrArn, expect: 'allow' as const,
  })),
  { why: 'a submitter adds no step to another cluster', principal: m.role(submitter), action: 'elasticmapreduce:AddJobFlowSteps',
    resource: emrArn.replace(/cluster\/.*$/, 'cluster/j-OTHER'), expect: 'deny' },
  { why: 'a submitter cannot terminate the cluster', principal: m.role(submitter), action: 'elasticmapreduce:TerminateJobFlows', resource: emrArn,
    expect: 'deny' },
  // Glue: the workflow.
  ...['glue:StartWorkflowRun', 'glue:GetWorkflowRun', 'glue:GetWorkflowRuns'].map(action => ({
    why: 'a starter granted grantStartWorkflow starts and follows the workflow', principal: m.role(starter), action, resource: workflowArn,
    expect: 'allow' as const,
  })),
  { why: 'a starter starts no other workflow', principal: m.role(starter), action: 'glue:StartWorkflowRun',
    resource: workflowArn.replace(/workflow\/.*$/, 'workflow/other'), expect: 'deny' },
  { why: 'a starter cannot change the workflow', principal: m.role(starter), action: 'glue:UpdateWorkflow', resource: workflowArn, expect: 'deny' },
  // OpenSearch: the REST API on the domain's indexes.
  ...['es:ESHttpGet', 'es:ESHttpHead'].map(action => ({
    why: 'a reader granted grantRead reads an index', principal: m.role(reader), action, resource: index, expect: 'allow' as const,
  })),
  { why: 'a reader writes nothing', principal: m.role(reader), action: 'es:ESHttpPut', resource: index, expect: 'deny' },
  ...['es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpPatch', 'es:ESHttpDelete'].map(action => ({
    why: 'a writer granted grantWrite writes an index', principal: m.role(writer), action, resource: index, expect: 'allow' as const,
  })),
  { why: 'a writer reads nothing', principal: m.role(writer), action: 'es:ESHttpGet', resource: index, expect: 'deny' },
  ...['es:ESHttpGet', 'es:ESHttpPost'].map(action => ({
    why: 'a role granted grantReadWrite reads and writes an index', principal: m.role(both), action, resource: index, expect: 'allow' as const,
  })),
  { why: 'no grant changes the domain configuration', principal: m.role(both), action: 'es:UpdateDomainConfig', resource: domainArn, expect: 'deny' },
];

describe('grant methods: runtime access', () => {
  proveAccess(m, paths);
});

describe('grantStartWorkflow on a pipeline without a workflow', () => {
  test('fails at synth, naming the method and what is missing, and grants nothing', () => {
    const s = testStack('NoWorkflow');
    const v = ec2.Vpc.fromVpcAttributes(s, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'], privateSubnetRouteTableIds: ['rtb-0'],
    });
    const pipeline = new GlueEtlPipeline(s, 'Etl', { network: AnalyticsNetwork.fromVpc(v), failureNotificationsEnabled: false });
    const grantee = new ManagedPolicyRole(s, 'Starter', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = pipeline.grantStartWorkflow(grantee);
    expect(grant.success).toBe(false);
    expect(pipeline.node.validate()).toEqual(['grantStartWorkflow needs a workflow: set the workflow prop of the pipeline']);
  });
});
