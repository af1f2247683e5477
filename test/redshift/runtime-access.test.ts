import { CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { RedshiftWarehouseDrStack, RedshiftWarehouseStack } from '../../examples/redshift-warehouse';
import { RedshiftAuditLogging, RedshiftWarehouse } from '../../lib';
import { decide, SimulatedRequest, TemplateResolver } from '../core/policy-simulator';
import { testApp, testStack, TEST_ENV } from '../util/app';

/**
 * The calls the Redshift templates imply, decided by policy simulation over the synthesized policies (with the
 * context each service is documented to send, and no more): Redshift publishes its events to the alarm topic and
 * uses its key; Redshift assumes the Spectrum role, which reads the lake and its catalog, read-only; CloudWatch
 * Logs uses the cluster key for the audit log groups; Redshift delivers S3 audit logs to its prefix; the deployer
 * can have Redshift create the KMS grants of the cluster key and of the DR copy grant key.
 */
const ACCOUNT = TEST_ENV.account;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/cdk-deploy`;
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The template of `stack`, resolved: ARNs of buckets and roles added to the core resolver's shapes. */
class Resolved extends TemplateResolver {
  public readonly template: Resources;
  constructor(public readonly stack: Stack) {
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    super(resources, { account: stack.account, region: stack.region, stackName: stack.stackName });
    this.template = resources;
  }
  public override arnOf(logicalId: string): string {
    switch (this.template[logicalId]?.Type) {
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${logicalId.toLowerCase()}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${this.env.account}:role/${logicalId}`;
      default: return super.arnOf(logicalId);
    }
  }
  public id(c: IConstruct): string {
    return this.stack.getLogicalId((CfnResource.isCfnResource(c) ? c : c.node.defaultChild) as CfnResource);
  }
  public props(c: IConstruct): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.resolve(this.template[this.id(c)].Properties) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}

function ask(policy: unknown, request: SimulatedRequest): Promise<string> {
  return decide(policy, request, ACCOUNT);
}

describe('examples/redshift-warehouse: runtime access', () => {
  const app = testApp({ builtinCloudFormationValidation: false, treeMetadata: false });
  const dr = new RedshiftWarehouseDrStack(app, 'RedshiftWarehouseDr', { env: { ...TEST_ENV, region: 'us-west-2' } });
  const source = new RedshiftWarehouseStack(app, 'RedshiftWarehouse', { env: TEST_ENV, copyGrant: dr.copyGrant });
  const r = new Resolved(source);
  const warehouse = source.warehouse;

  test('Redshift publishes its event notifications to the alarm topic and uses the topic key', async () => {
    const subscriptions = Object.values(r.template).filter(x => x.Type === 'AWS::Redshift::EventSubscription');
    expect(subscriptions).toHaveLength(2);
    for (const s of subscriptions) {
      const topicArn = r.resolve(s.Properties.SnsTopicArn) as string;
      const topicId = r.logicalIdOf(topicArn)!;
      const topicPolicy = Object.values(r.template).find(x => x.Type === 'AWS::SNS::TopicPolicy'
        && (r.resolve(x.Properties.Topics) as string[]).includes(topicArn))!;
      // Redshift's publish carries the account as source owner, over TLS; no aws:SourceArn is documented for it.
      await expect(ask(r.resolve(topicPolicy.Properties.PolicyDocument), { principal: 'redshift.amazonaws.com', action: 'sns:Publish',
        resource: topicArn, context: { 'aws:SourceOwner': ACCOUNT, 'aws:SecureTransport': 'true' } })).resolves.toBe('Allowed');
      const keyId = r.logicalIdOf(r.resolve(r.template[topicId].Properties.KmsMasterKeyId) as string)!;
      const keyPolicy = r.resolve(r.template[keyId].Properties.KeyPolicy);
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        await expect(ask(keyPolicy, { principal: 'redshift.amazonaws.com', action, resource: r.arnOf(keyId),
          context: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } }).then(d => `${action} ${d}`)).resolves.toBe(`${action} Allowed`);
      }
      // The key serves SNS only: Redshift cannot use it for anything else.
      await expect(ask(keyPolicy, { principal: 'redshift.amazonaws.com', action: 'kms:Decrypt', resource: r.arnOf(keyId) }))
        .resolves.not.toBe('Allowed');
    }
  });

  test('only Redshift of the warehouse region assumes the Spectrum role', async () => {
    const role = warehouse.spectrumRole!;
    const trust = r.props(role).AssumeRolePolicyDocument;
    const assume = (principal: string) => ask(trust, { principal, action: 'sts:AssumeRole', resource: r.arnOf(r.id(role)) });
    await expect(assume('redshift.us-east-1.amazonaws.com')).resolves.toBe('Allowed');
    await expect(assume('redshift.eu-west-1.amazonaws.com')).resolves.not.toBe('Allowed');
    await expect(assume('glue.amazonaws.com')).resolves.not.toBe('Allowed');
  });

  describe('the Spectrum role reads the lake and its catalog, read-only', () => {
    const role = warehouse.spectrumRole!;
    const identity = [r.props(role.policy).PolicyDocument];
    const lake = r.arnOf(r.id(source.lake.bucket));
    const object = `${lake}/clicks/year=2026/month=01/part-0.parquet`;
    const glue = (x: string) => `arn:aws:glue:us-east-1:${ACCOUNT}:${x}`;
    const as = (action: string, resource: string, context?: Record<string, string>, resourcePolicy?: unknown) =>
      ask(resourcePolicy, { principal: r.arnOf(r.id(role)), action, resource, context, identityPolicies: identity })
        .then(d => `${action} ${resource} ${d}`);
    const allowed = (action: string, resource: string, context?: Record<string, string>, resourcePolicy?: unknown) =>
      expect(as(action, resource, context, resourcePolicy)).resolves.toBe(`${action} ${resource} Allowed`);
    const denied = (action: string, resource: string) => expect(as(action, resource)).resolves.not.toMatch(/ Allowed$/);

    test('lists and reads the lake objects and decrypts them with the lake key', async () => {
      await allowed('s3:ListBucket', lake);
      await allowed('s3:GetObject', object);
      const lakeKey = r.props(source.lake.bucket).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
      const lakeKeyPolicy = r.resolve(r.template[r.logicalIdOf(lakeKey)!].Properties.KeyPolicy);
      await allowed('kms:Decrypt', lakeKey, { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, lakeKeyPolicy);
    });

    test('reads the definitions of the lake database, and of no other', async () => {
      // Glue authorizes a table read against the catalog, the database and the table, all three.
      // https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
      await allowed('glue:GetDatabase', glue('catalog'));
      await allowed('glue:GetDatabase', glue('database/lake'));
      for (const action of ['glue:GetTable', 'glue:GetTables', 'glue:GetPartitions', 'glue:BatchGetPartition']) {
        await allowed(action, glue('catalog'));
        await allowed(action, glue('database/lake'));
        await allowed(action, glue('table/lake/clicks'));
      }
      await denied('glue:GetTable', glue('table/other/clicks'));
    });

    test('writes, deletes and changes nothing', async () => {
      await denied('s3:PutObject', object);
      await denied('s3:DeleteObject', object);
      await denied('glue:UpdateTable', glue('table/lake/clicks'));
      await denied('glue:CreateTable', glue('table/lake/clicks'));
      await denied('glue:DeleteTable', glue('table/lake/clicks'));
    });
  });

  test('CloudWatch Logs may use the cluster key for the audit log groups of this cluster only', async () => {
    const keyId = r.id(warehouse.encryptionKey);
    const keyPolicy = r.resolve(r.template[keyId].Properties.KeyPolicy);
    const use = (logGroup: string) => ask(keyPolicy, { principal: 'logs.us-east-1.amazonaws.com', action: 'kms:GenerateDataKey',
      resource: r.arnOf(keyId), context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${logGroup}` } });
    for (const g of warehouse.auditLogGroups) {
      const name = r.props(g).LogGroupName as string;
      await expect(use(name).then(d => `${name} ${d}`)).resolves.toBe(`${name} Allowed`);
    }
    await expect(use('/aws/lambda/someone-else')).resolves.not.toBe('Allowed');
  });

  test('the deployer can have Redshift create the grants of the cluster key, and of the DR copy grant key; nobody else can', async () => {
    const d = new Resolved(dr);
    for (const [res, key] of [[r, warehouse.encryptionKey], [d, dr.copyGrant.encryptionKey]] as const) {
      const keyId = res.id(key);
      const keyPolicy = res.resolve(res.template[keyId].Properties.KeyPolicy);
      const grant = (forAws: string) => ask(keyPolicy, { principal: DEPLOYER, action: 'kms:CreateGrant', resource: res.arnOf(keyId),
        context: { 'kms:GrantIsForAWSResource': forAws, 'kms:ViaService': `redshift.${res.env.region}.amazonaws.com` }, identityPolicies: [ADMIN] });
      await expect(grant('true')).resolves.toBe('Allowed');
      await expect(grant('false')).resolves.toBe('ExplicitlyDenied');
    }
  });
});

describe('RedshiftWarehouse with S3 audit logs: runtime access', () => {
  const stack = testStack('Audit');
  const bucket = new s3.Bucket(stack, 'AuditBucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] });
  new RedshiftWarehouse(stack, 'Wh', { vpc, clusterIdentifier: 'audited', auditLogging: RedshiftAuditLogging.s3({ bucket, keyPrefix: 'audit/' }) });
  const r = new Resolved(stack);
  const policy = r.resolve(Object.values(r.template).find(x => x.Type === 'AWS::S3::BucketPolicy')!.Properties.PolicyDocument);
  const bucketArn = r.arnOf(r.id(bucket));
  const clusterArn = `arn:aws:redshift:us-east-1:${ACCOUNT}:cluster:audited`;
  const deliver = (action: string, resource: string, sourceArn: string) => ask(policy, { principal: 'redshift.amazonaws.com', action, resource,
    context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT, 'aws:SecureTransport': 'true' } });

  test('Redshift delivers this cluster\'s logs under the prefix and reads the bucket ACL', async () => {
    await expect(deliver('s3:PutObject', `${bucketArn}/audit/AWSLogs/${ACCOUNT}/redshift/us-east-1/2026/01/02/x_connectionlog.gz`, clusterArn))
      .resolves.toBe('Allowed');
    await expect(deliver('s3:GetBucketAcl', bucketArn, clusterArn)).resolves.toBe('Allowed');
  });

  test('Redshift writes nothing for another cluster, and nothing outside the prefix', async () => {
    await expect(deliver('s3:PutObject', `${bucketArn}/audit/x.gz`, `arn:aws:redshift:us-east-1:${ACCOUNT}:cluster:other`)).resolves.not.toBe('Allowed');
    await expect(deliver('s3:PutObject', `${bucketArn}/data/x.gz`, clusterArn)).resolves.not.toBe('Allowed');
  });
});
