/**
 * RedshiftSpectrumSchema and RedshiftDatabaseGroups: the custom resources and the one function behind them, its
 * least-privilege policy, the checks at synth. One stack, synthesized once; validation cases build no template.
 */
import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';

import {
  AnalyticsNetwork, RedshiftDatabaseGroups, RedshiftSpectrumSchema, RedshiftWarehouse, RedshiftWarehouseProps, WorkloadManagement,
} from '../../lib';
import { CfnModel, CfnTemplate } from '../access/cfn';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';
import { nagAcknowledgments, nagFindings } from '../util/nag';
import { validationMessages } from '../util/validation-messages';
import { schemaEvent, world } from './data-api-world';

function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'],
    isolatedSubnetRouteTableIds: ['rtb-1', 'rtb-2'] });
}

function warehouseIn(stack: Stack, props: Partial<RedshiftWarehouseProps> = {}): RedshiftWarehouse {
  const lake = new s3.Bucket(stack, 'Lake');
  return new RedshiftWarehouse(stack, 'Wh', {
    network: AnalyticsNetwork.fromVpc(importedVpc(stack)), clusterIdentifier: 'wh', spectrum: { lakeBuckets: [lake], glueDatabases: [gluedb(stack, 'lake'), gluedb(stack, 'curated')] },
    workloadManagement: WorkloadManagement.automatic({ queues: [
      { name: 'etl', userGroups: ['etl', 'loaders'] },
      { name: 'bi', userGroups: ['bi_*', 'analysts'], userGroupsWildcard: true },
    ] }),
    ...props,
  });
}

const stack = testStack();
const warehouse = warehouseIn(stack);
const lakeSchema = warehouse.addExternalSchema('LakeSchema', { schemaName: 'lake', glueDatabase: gluedb(stack, 'lake') });
const curated = warehouse.addExternalSchema('CuratedSchema', { schemaName: 'curated', glueDatabase: gluedb(stack, 'curated'), removalPolicy: RemovalPolicy.DESTROY });
const groups = warehouse.addDatabaseGroups('WlmGroups');
const template = Template.fromStack(stack);
const secretArn = { 'Fn::GetAtt': [stack.getLogicalId(warehouse.cluster), 'MasterPasswordSecretArn'] };

describe('RedshiftSpectrumSchema', () => {
  test('creates the schema through the Data API function, as the admin user, with the Spectrum role', () => {
    template.hasResourceProperties('Custom::RedshiftExternalSchema', {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WhDataApiFunction'), 'Arn'] },
      ServiceTimeout: '360',
      ClusterIdentifier: 'wh', Database: 'analytics', SecretArn: secretArn,
      SchemaName: 'lake', GlueDatabase: 'lake', IamRoleArn: stack.resolve(warehouse.spectrumRole!.roleArn),
      DropOnDelete: Match.absent(),
    });
    expect(lakeSchema.schemaName).toBe('lake');
  });

  test('keeps the schema on delete by default, drops it with DESTROY; the resource itself always gets the Delete', () => {
    template.hasResourceProperties('Custom::RedshiftExternalSchema', { SchemaName: 'curated', DropOnDelete: 'true' });
    template.allResources('Custom::RedshiftExternalSchema', { DeletionPolicy: 'Delete' });
    expect(curated.resource).toBeDefined();
  });

  test('runs after the Spectrum role and its policy exist', () => {
    const resource = template.toJSON().Resources[stack.getLogicalId(lakeSchema.resource.node.defaultChild as never)];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId(warehouse.spectrumRole!.node.defaultChild as never),
      stack.getLogicalId(warehouse.spectrumRole!.policy.node.defaultChild as never),
    ]));
  });
});

describe('RedshiftDatabaseGroups', () => {
  test('creates the user groups the WLM queues route by, leaving wildcard patterns out', () => {
    expect(warehouse.workloadManagement.userGroups).toEqual(['etl', 'loaders', 'analysts']);
    template.hasResourceProperties('Custom::RedshiftDatabaseGroups', { Groups: ['etl', 'loaders', 'analysts'], SecretArn: secretArn });
    expect(groups.groups).toEqual(['etl', 'loaders', 'analysts']);
  });
});

describe('the Data API function', () => {
  test('is one function per warehouse, outside any VPC, on the Node.js runtime with the AWS SDK v3, 5-minute timeout', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 300, VpcConfig: Match.absent(),
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^WhDataApiFunctionLogs') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/redshift/cluster/wh/data-api-function', RetentionInDays: 365, KmsKeyId: stack.resolve(warehouse.encryptionKey.keyArn),
    });
  });

  test('may run statements on this cluster, follow only its own statements, and read only the admin secret', () => {
    const role = warehouse.node.findChild('DataApiFunction').node.findChild('Role') as unknown as { policy: { node: { defaultChild: never } } };
    const policy = template.toJSON().Resources[stack.getLogicalId(role.policy.node.defaultChild)];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.anything() },
      { Sid: 'RunStatementsOnThisCluster', Effect: 'Allow', Action: 'redshift-data:ExecuteStatement',
        Resource: 'arn:aws:redshift:us-east-1:111111111111:cluster:wh' },
      { Sid: 'FollowOwnStatements', Effect: 'Allow', Resource: '*',
        Action: ['redshift-data:CancelStatement', 'redshift-data:DescribeStatement', 'redshift-data:GetStatementResult'],
        Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } } },
      { Sid: 'ReadAdminSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArn },
      { Sid: 'DecryptAdminSecret', Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(warehouse.encryptionKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': secretArn } } },
    ]);
  });

  test('passes the four nag packs, with exactly these acknowledgments on the function and its policy', () => {
    // The warehouse's own findings are its tests' business (its example stacks pass every pack).
    for (const scope of [warehouse.node.findChild('DataApiFunction'), lakeSchema, curated, groups]) expect(nagFindings(scope)).toEqual([]);
    const acks = nagAcknowledgments(warehouse).filter(a => a.startsWith('DataApiFunction/'));
    expect(acks).toEqual([
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap(pack => ['LambdaConcurrency', 'LambdaDLQ', 'LambdaInsideVPC']
        .map(rule => `DataApiFunction/Function/Resource ${pack}-${rule}`)),
      'DataApiFunction/Role/Policy/Resource AwsSolutions-IAM5[Resource::*]',
    ].sort());
  });
});

describe('checked at synth', () => {
  function errors(build: (s: Stack) => void): string[] {
    const s = testStack();
    build(s);
    return s.node.findAll().flatMap(c => validationMessages(c));
  }

  test('fails unsafe or reserved schema names, a database the Spectrum role cannot read, and SNAPSHOT', () => {
    expect(errors(s => warehouseIn(s).addExternalSchema('S', { schemaName: 'Lake"; drop', glueDatabase: gluedb(s, 'other'), removalPolicy: RemovalPolicy.SNAPSHOT })))
      .toEqual([
        `Test/Wh/S: schemaName ('Lake"; drop') must be 1 to 127 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore`,
        `Test/Wh/S: glueDatabase.databaseName ('other') must be one of the warehouse's spectrum.glueDatabases (lake, curated): the Spectrum role may read only those`,
        `Test/Wh/S: removalPolicy ('snapshot') must be RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY: a schema has no snapshot`,
      ]);
    expect(errors(s => warehouseIn(s).addExternalSchema('S', { schemaName: 'select', glueDatabase: gluedb(s, "lake' x") }))).toEqual([
      `Test/Wh/S: schemaName ('select') must not be a reserved word of Redshift (SELECT)`,
      `Test/Wh/S: glueDatabase.databaseName ('lake' x') must be a Glue database name: 1 to 255 lowercase letters, digits, underscores or hyphens`,
      `Test/Wh/S: glueDatabase.databaseName ('lake' x') must be one of the warehouse's spectrum.glueDatabases (lake, curated): the Spectrum role may read only those`,
    ]);
  });

  test('fails a schema on a warehouse without Spectrum', () => {
    expect(errors(s => new RedshiftSpectrumSchema(s, 'S', { warehouse: warehouseIn(s, { spectrum: undefined }), schemaName: 'lake', glueDatabase: gluedb(s, 'lake') })))
      .toEqual([`Test/S: warehouse ('Test/Wh') must have spectrum set: the external schema reads the catalog with the warehouse's Spectrum role`]);
  });

  test('accepts tokens, which are checked at deploy time by the handler', () => {
    expect(errors(s => warehouseIn(s).addExternalSchema('S', { schemaName: 'lake', glueDatabase: glue.Database.fromDatabaseArn(s, 'Tokened', Token.asString({ Ref: 'GlueDbArn' })) }))).toEqual([]);
  });

  test('fails groups that are unsafe, repeated, or none when the WLM queues route by no group', () => {
    expect(errors(s => warehouseIn(s).addDatabaseGroups('G', ['etl', 'ETL-team', 'etl']))).toEqual([
      `Test/Wh/G: groups[1] ('ETL-team') must be 1 to 127 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore`,
      `Test/Wh/G: groups (['etl', 'ETL-team', 'etl']) must name each group once`,
    ]);
    expect(errors(s => new RedshiftDatabaseGroups(s, 'G', { warehouse: warehouseIn(s, { workloadManagement: WorkloadManagement.automatic() }) })))
      .toEqual([`Test/G: groups ('the WLM user groups (none)') must not be empty: the warehouse's WLM queues route by no user group, so pass groups`]);
  });
});

describe('the first deployment of the template, through the handler against a fake Data API', () => {
  test('every SQL custom resource succeeds with the properties, secret and Spectrum role the template gives it', async () => {
    const json = template.toJSON() as CfnTemplate;
    const cfn = new CfnModel(json, { account: '111111111111', region: 'us-east-1', stackName: 'Test' });
    const clusterId = stack.getLogicalId(warehouse.cluster);
    const cluster = cfn.resolve(json.Resources[clusterId].Properties) as Record<string, string & string[]>;
    const roles = cluster.IamRoles;
    // The Glue databases the Spectrum role's policy lets it read, as the fake catalog's permissions.
    const policyId = stack.getLogicalId(warehouse.spectrumRole!.policy.node.defaultChild as never);
    type PolicyProps = { PolicyDocument: { Statement: Array<{ Sid: string; Resource: string[] }> } };
    const spectrumPolicy = cfn.resolve(json.Resources[policyId].Properties) as PolicyProps;
    const readable = spectrumPolicy.PolicyDocument.Statement.find(st => st.Sid === 'ReadGlueCatalog')!.Resource
      .filter(r => r.includes(':database/')).map(r => r.split(':database/')[1]);
    const w = world({
      clusterIdentifier: cluster.ClusterIdentifier, databases: [cluster.DBName], associatedRoles: roles,
      secrets: { [cfn.str(cfn.getAtt(clusterId, 'MasterPasswordSecretArn'))]: { user: cluster.MasterUsername, superuser: true } },
      glueDatabases: Object.fromEntries(readable.map(d => [d, roles])),
    });
    const custom = Object.entries(json.Resources).filter(([, r]) => r.Type.startsWith('Custom::Redshift'));
    expect(custom.map(([, r]) => r.Type).sort()).toEqual(['Custom::RedshiftDatabaseGroups', 'Custom::RedshiftExternalSchema', 'Custom::RedshiftExternalSchema']);
    for (const [logicalId, r] of custom) {
      const event = { ...schemaEvent('Create'), ResourceType: r.Type, LogicalResourceId: logicalId, ResourceProperties: cfn.resolve(r.Properties) };
      expect(await w.run(event)).toMatchObject({ Status: 'SUCCESS' });
    }
    expect(Object.fromEntries(w.api.externalSchemas)).toEqual({
      lake: { database: 'lake', role: roles[0] }, curated: { database: 'curated', role: roles[0] },
    });
    expect([...w.api.groups].sort()).toEqual(['analysts', 'etl', 'loaders']);
  });
});
