/**
 * Integration test of `OpenSearchCluster` and `OpenSearchFirehoseIngestion`: a small VPC domain over two
 * AZs (three t3.small.search dedicated masters, two t3.small.search data nodes with 10 GiB gp3, no standby
 * and no UltraWarm, which t3 nodes do not support), fine-grained access control with an IAM master role,
 * an ISM policy applied by the construct's custom resource, and a Firehose stream into the domain, all
 * deleted by `cdk destroy`.
 *
 * On a real deployment the assertion stack checks the domain (created, not processing, the engine,
 * topology, gp3 volumes, encryption at rest with the construct's key, node-to-node encryption, HTTPS with
 * TLS 1.2, fine-grained access control, the four log types, the VPC security group), that the ISM policy
 * and the Firehose role mapping custom resources completed with the policy id and role name as physical
 * ids (their handler sets them only after the domain's REST API accepted the PUT), and that the Firehose
 * stream is ACTIVE, encrypted, and delivers into the domain through the VPC.
 *
 * The domain's REST API itself (`GET _plugins/_ism/policies/<id>`) is reachable only inside the VPC with
 * SigV4 as the master role, which `awsApiCall` cannot do; the custom resource's result stands for it.
 *
 * Cost while deployed: five t3.small.search nodes, two interface endpoints (about $0.22 an hour).
 * Run: see test/integ/integ-app.ts.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { AnalyticsNetwork, OpenSearchCluster, OpenSearchFirehoseIngestion } from 'cdk-analytics-blueprints';

import { integApp, IntegAppOptions, integEnv, IntegStack, verify } from './integ/integ-app';

/** Builds the integration test app (also used by the snapshot check, with a fixed env and outdir). */
export function openSearchIntegApp(options: IntegAppOptions = {}): App {
  const app = integApp(options);
  const env = options.env ?? integEnv();

  const stack = new IntegStack(app, 'IntegOpenSearch', { env });
  const search = new OpenSearchCluster(stack, 'Search', {
    network: AnalyticsNetwork.newVpc({ availabilityZones: stack.availabilityZones.slice(0, 2) }),
    availabilityZoneCount: 2,
    multiAzWithStandbyEnabled: false,
    masterNodes: 3,
    masterNodeInstanceType: 't3.small.search',
    dataNodes: 2,
    dataNodeInstanceType: 't3.small.search',
    volumeSize: Size.gibibytes(10),
    logRetention: logs.RetentionDays.ONE_WEEK,
    indexLifecycles: [{ policyId: 'integ-logs-delete', indexPatterns: ['integ-logs-*'], deleteAfter: Duration.days(7) }],
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const ingestion = new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster: search, indexName: 'integ-logs' });

  const assertionStack = new Stack(app, 'IntegOpenSearchAssertions', { env });
  const integ = new IntegTest(app, 'OpenSearchInteg', {
    testCases: [stack],
    assertionStack,
    cdkCommandOptions: { destroy: { args: { force: true } } },
  });

  // The domain: created, settled, with the topology, storage, encryption, access control and logs configured.
  const domain = verify(integ.assertions.awsApiCall('OpenSearch', 'describeDomain', { DomainName: search.domainName }),
    ExpectedResult.objectLike({
      DomainStatus: {
        Created: true,
        Deleted: false,
        Processing: false,
        UpgradeProcessing: false,
        EngineVersion: opensearch.EngineVersion.OPENSEARCH_2_19.version,
        ClusterConfig: {
          InstanceType: 't3.small.search',
          InstanceCount: 2,
          DedicatedMasterEnabled: true,
          DedicatedMasterType: 't3.small.search',
          DedicatedMasterCount: 3,
          ZoneAwarenessEnabled: true,
          ZoneAwarenessConfig: { AvailabilityZoneCount: 2 },
          WarmEnabled: false,
        },
        EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 10 },
        EncryptionAtRestOptions: { Enabled: true, KmsKeyId: Match.stringLikeRegexp(search.encryptionKey.keyId) },
        NodeToNodeEncryptionOptions: { Enabled: true },
        DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS },
        AdvancedSecurityOptions: { Enabled: true, InternalUserDatabaseEnabled: false },
        VPCOptions: { SecurityGroupIds: [search.securityGroup!.securityGroupId] },
        LogPublishingOptions: {
          SEARCH_SLOW_LOGS: { Enabled: true },
          INDEX_SLOW_LOGS: { Enabled: true },
          ES_APPLICATION_LOGS: { Enabled: true },
          AUDIT_LOGS: { Enabled: true },
        },
      },
    }), { totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) });

  // The ISM policy and the Firehose role mapping: their custom resources completed, with the physical id
  // that the handler sets only after the domain accepted the PUT.
  const customResource = (type: string) => stack.node.findAll()
    .find((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type)!;
  const completed = (type: string, physicalId: string) => verify(integ.assertions.awsApiCall('CloudFormation', 'describeStackResource', {
    StackName: stack.stackName,
    LogicalResourceId: stack.resolve(stack.getLogicalId(customResource(type))),
  }), ExpectedResult.objectLike({
    StackResourceDetail: { ResourceStatus: Match.stringLikeRegexp('^(CREATE|UPDATE)_COMPLETE$'), PhysicalResourceId: physicalId },
  }));
  const ismPolicy = completed('Custom::OpenSearchIsmPolicy', 'integ-logs-delete');
  // The role that may write integ-logs*, mapped to the Firehose role.
  const roleMapping = completed('Custom::OpenSearchRoleMapping', 'firehose_integ_logs');

  // The Firehose stream: ACTIVE, encrypted, delivering into the domain from the domain's VPC.
  const delivery = verify(integ.assertions.awsApiCall('Firehose', 'describeDeliveryStream', {
    DeliveryStreamName: ingestion.deliveryStream.ref,
  }), ExpectedResult.objectLike({
    DeliveryStreamDescription: {
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfiguration: Match.objectLike({ Status: 'ENABLED', KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: search.encryptionKey.keyArn }),
      Destinations: Match.arrayWith([Match.objectLike({
        AmazonopensearchserviceDestinationDescription: Match.objectLike({
          DomainARN: search.domain.domainArn,
          IndexName: 'integ-logs',
          VpcConfigurationDescription: Match.objectLike({ VpcId: search.vpc!.vpcId }),
        }),
      })]),
    },
  }));

  domain.next(ismPolicy).next(roleMapping).next(delivery);
  return app;
}

if (require.main === module) {
  openSearchIntegApp().synth();
}
