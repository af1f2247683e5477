import { App, CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';

import { AnalyticsPlatformStack } from '../../examples/analytics-platform';
import { TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

/** A CloudFormation value, walked by key in the assertions below. */
interface Json { readonly [key: string]: Json }
type Resources = Record<string, { Type: string; Properties: Json }>;

describe('examples/analytics-platform', () => {
  let app: App;
  let assembly: CloudAssembly;
  let stack: AnalyticsPlatformStack;
  let template: Template;
  let resources: Resources;
  const ref = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnResource).ref);
  const cfn = (c: IConstruct) => resources[stack.getLogicalId(c.node.defaultChild as CfnResource)];
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  beforeAll(() => {
    app = testApp();
    stack = new AnalyticsPlatformStack(app, 'AnalyticsPlatform', { env: TEST_ENV });
    // One synthesis: the template, the nag report and the manifest all come from this assembly.
    assembly = app.synth();
    template = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
    resources = template.toJSON().Resources;
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('gives every statement of every role it creates a statement id (the key of its wildcard acknowledgments)', () => {
    // The platform composes all five architectures and grants nothing itself: every policy is a construct's.
    const policies = [...ofType('AWS::IAM::ManagedPolicy'), ...ofType('AWS::IAM::Policy')];
    expect(policies.length).toBeGreaterThanOrEqual(14);
    const withoutId = policies.flatMap(([id, policy]) => (policy.Properties.PolicyDocument.Statement as unknown as Json[])
      .filter(statement => statement.Sid === undefined).map(statement => `${id}: ${JSON.stringify(statement.Action)}`));
    expect(withoutId).toEqual([]);
  });

  test('needs no context lookup', () => {
    expect(assembly.manifest.missing).toBeUndefined();
  });

  test('acknowledges only the listed findings (contract list)', () => {
    const acks = nagAcknowledgments(stack);
    // The shared SecureVpc's: the NAT subnets' route to the internet gateway and the pinned AZs.
    expect(acks.filter(a => a.startsWith('Network/'))).toEqual([
      ...[1, 2, 3].flatMap(i => ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
        .map(pack => `Network/Vpc/NatSubnet${i}/DefaultRoute ${pack}-VPCNoUnrestrictedRouteToIGW`)),
      ...[1, 2, 3].flatMap(i => [`Network/Vpc/NatSubnet${i}/Subnet CloudFormation-Validate::W3010`,
        `Network/Vpc/PrivateSubnet${i}/Subnet CloudFormation-Validate::W3010`]),
    ].sort());
    // The constructs' own, pinned in full so any change shows in review.
    expect(acks.filter(a => !a.startsWith('Network/'))).toMatchSnapshot();
  });

  test('queries the lake with Athena (results in the lake bucket) and reruns the Glue crawl and job with Step Functions', () => {
    const [[, workgroup]] = ofType('AWS::Athena::WorkGroup');
    expect(JSON.stringify(workgroup.Properties.WorkGroupConfiguration.ResultConfiguration.OutputLocation))
      .toContain(stack.getLogicalId(stack.lake.bucket.node.defaultChild as CfnResource));
    const [[, machine]] = ofType('AWS::StepFunctions::StateMachine');
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('Run DailyClicks');
    expect(definition).toContain('Start ClicksCrawler');
  });

  test('keeps the VPC and the private subnets that the kept warehouse and domain sit in, so cdk destroy completes', () => {
    for (const kept of [stack.vpc, ...stack.vpc.privateSubnets]) {
      expect(cfn(kept)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
    expect(stack.node.metadata.concat(...stack.node.findAll().map(c => c.node.metadata))
      .filter(m => String(m.data).includes('cdk destroy fails'))).toEqual([]);
  });

  test('has one VPC, and every security group, connection, cluster and domain is in it', () => {
    expect(ofType('AWS::EC2::VPC')).toHaveLength(1);
    const vpc = ref(stack.vpc);
    for (const [, sg] of ofType('AWS::EC2::SecurityGroup')) {
      expect(sg.Properties.VpcId).toEqual(vpc);
    }
    const privateSubnets = stack.vpc.privateSubnets.map(s => stack.resolve(s.subnetId));
    const [[, connection]] = ofType('AWS::Glue::Connection');
    expect(privateSubnets).toContainEqual(connection.Properties.ConnectionInput.PhysicalConnectionRequirements.SubnetId);
    expect(connection.Properties.ConnectionInput.PhysicalConnectionRequirements.SecurityGroupIdList)
      .toEqual([stack.resolve(stack.etl.network.securityGroup.securityGroupId)]);
    const [[, emr]] = ofType('AWS::EMR::Cluster');
    expect(privateSubnets).toContainEqual(emr.Properties.Instances.Ec2SubnetId);
    const [[, redshiftSubnets]] = ofType('AWS::Redshift::ClusterSubnetGroup');
    expect(redshiftSubnets.Properties.SubnetIds).toEqual(privateSubnets);
    const [[, domain]] = ofType('AWS::OpenSearchService::Domain');
    expect(domain.Properties.VPCOptions.SubnetIds).toEqual(privateSubnets);
    // EMR launches only into subnets tagged for its managed policy.
    for (const subnet of stack.vpc.privateSubnets) {
      expect(cfn(subnet).Properties.Tags)
        .toContainEqual({ Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' });
    }
  });

  test('lands the stream in the shared lake bucket, as Parquet, with its table in the shared database', () => {
    expect(stack.streaming.bucket).toBe(stack.lake.bucket);
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: {
        BucketARN: stack.resolve(stack.lake.bucket.bucketArn),
        DataFormatConversionConfiguration: { OutputFormatConfiguration: { Serializer: { ParquetSerDe: {} } } },
      },
    });
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: ref(stack.database),
      TableInput: { Name: 'clicks' },
    });
  });

  test('catalogs the streamed prefix and the curated zone into the same database', () => {
    const crawlers = ofType('AWS::Glue::Crawler').map(([, c]) => c.Properties);
    expect(crawlers.map(c => c.DatabaseName)).toEqual([ref(stack.database), ref(stack.database)]);
    const bucket = stack.resolve(stack.lake.bucket.bucketName);
    expect(crawlers.map(c => c.Targets.S3Targets[0].Path)).toEqual([
      { 'Fn::Join': ['', ['s3://', bucket, '/clicks/']] },
      { 'Fn::Join': ['', ['s3://', bucket, '/curated/']] },
    ]);
    template.hasResourceProperties('AWS::Glue::Job', {
      DefaultArguments: { '--lake_bucket': bucket, '--lake_database': ref(stack.database), '--output_prefix': 'curated/daily_clicks/' },
    });
  });

  test('lets EMR and the Spectrum role read the same catalog database and lake bucket', () => {
    const lakeArn = stack.resolve(stack.lake.bucket.bucketArn);
    const spectrumPolicy = ofType('AWS::IAM::ManagedPolicy').find(([, p]) =>
      JSON.stringify(p.Properties.Roles) === JSON.stringify([stack.resolve(stack.warehouse.spectrumRole!.roleName)]));
    const statements = spectrumPolicy![1].Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [lakeArn, '/*']] } }));
    expect(statements).toContainEqual(expect.objectContaining({
      Resource: expect.arrayContaining(['arn:aws:glue:us-east-1:111111111111:table/analytics_platform/*']),
    }));
    template.hasResourceProperties('AWS::Redshift::Cluster', {
      IamRoles: [stack.resolve(stack.warehouse.spectrumRole!.roleArn)],
    });
    const emrPolicy = JSON.stringify(cfn(stack.emr.node.findChild('InstanceRole').node.findChild('Policy')).Properties);
    expect(emrPolicy).toContain('table/analytics_platform/*');
    expect(emrPolicy).toContain(JSON.stringify(lakeArn));
  });

  test('sends application logs to the OpenSearch domain through Firehose, in the shared VPC', () => {
    const [[, stream]] = ofType('AWS::KinesisFirehose::DeliveryStream')
      .filter(([, s]) => s.Properties.AmazonopensearchserviceDestinationConfiguration);
    const destination = stream.Properties.AmazonopensearchserviceDestinationConfiguration;
    expect(destination.DomainARN).toEqual(stack.resolve(stack.search.domain.domainArn));
    expect(destination.VpcConfiguration.SubnetIds).toEqual(stack.vpc.privateSubnets.map(s => stack.resolve(s.subnetId)));
    expect(destination.S3Configuration.BucketARN).toEqual(stack.resolve(stack.lake.bucket.bucketArn));
  });

  test('sends every alarm and Glue failure event to the one encrypted alarm topic', () => {
    expect(ofType('AWS::SNS::Topic')).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(stack.opsKey.keyArn) });
    const topic = ref(stack.alarmTopic);
    // CloudWatch and EventBridge can use the topic's key, or their notifications are dropped.
    const keyStatements = cfn(stack.opsKey).Properties.KeyPolicy.Statement as unknown as Array<{ Principal: { Service?: string }; Action: string[] }>;
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      expect(keyStatements).toContainEqual(expect.objectContaining({
        Principal: { Service: service }, Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']),
      }));
    }
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(20);
    for (const [id, alarm] of alarms) {
      expect({ id, actions: alarm.Properties.AlarmActions, ok: alarm.Properties.OKActions }).toEqual({ id, actions: [topic], ok: [topic] });
    }
    const targets = ofType('AWS::Events::Rule').flatMap(([, r]) => r.Properties.Targets ?? []);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target.Arn).toEqual(topic);
    }
  });
});
