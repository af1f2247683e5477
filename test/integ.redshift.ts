/**
 * Integration test of `RedshiftWarehouse`: a single-node ra3.large cluster in a new VPC with isolated
 * subnets, automatic WLM with an ETL queue and a query monitoring rule, audit logs in CloudWatch Logs, and
 * the admin password managed in Secrets Manager, all deleted by `cdk destroy` (no final snapshot).
 *
 * On a real deployment the assertion stack checks the cluster (available, encrypted with the construct's
 * key, private, enhanced VPC routing, port 5440, the managed admin secret, its parameter group applied
 * and in sync), the parameters of that group (TLS required, user activity logging, the WLM JSON the
 * construct rendered), audit logging to CloudWatch Logs, and then runs a query through the Redshift Data
 * API with the managed admin secret and waits until it FINISHED. The stack also creates, as code, the external
 * schema `lake` on a Glue database of its own and the database group `etl` its WLM queue routes by; a Data API
 * query then finds both in the system tables.
 *
 * Cost while deployed: one ra3.large node (about $0.54 an hour) plus its managed storage.
 * Run: see test/integ/integ-app.ts.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { QmrAction, QmrMetric, RedshiftNodeType, RedshiftWarehouse, WlmQueuePriority, WorkloadManagement } from 'cdk-analytics-blueprints';

import { integApp, IntegAppOptions, integEnv, IntegStack, verify } from './integ/integ-app';

/** Builds the integration test app (also used by the snapshot check, with a fixed env and outdir). */
export function redshiftIntegApp(options: IntegAppOptions = {}): App {
  const app = integApp(options);
  const env = options.env ?? integEnv();

  const stack = new IntegStack(app, 'IntegRedshift', { env });
  const lake = new s3.Bucket(stack, 'Lake', {
    encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const catalog = new glue.Database(stack, 'Catalog', { databaseName: 'integ_redshift_lake', removalPolicy: RemovalPolicy.DESTROY });
  const warehouse = new RedshiftWarehouse(stack, 'Warehouse', {
    nodeType: RedshiftNodeType.RA3_LARGE,
    numberOfNodes: 1,
    workloadManagement: WorkloadManagement.automatic({
      queues: [{
        name: 'etl', userGroups: ['etl'], priority: WlmQueuePriority.HIGH,
        rules: [{ name: 'log_disk_spill', predicates: [{ metric: QmrMetric.QUERY_TEMP_BLOCKS_TO_DISK, value: 100_000 }], action: QmrAction.LOG }],
      }],
      defaultQueue: { priority: WlmQueuePriority.NORMAL },
    }),
    automatedSnapshotRetention: Duration.days(1),
    spectrum: { lakeBuckets: [lake], glueDatabases: [catalog] },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // SQL as code: the external schema on the catalog database, and the group the etl queue routes by.
  warehouse.addExternalSchema('LakeSchema', { schemaName: 'lake', glueDatabase: catalog, removalPolicy: RemovalPolicy.DESTROY });
  warehouse.addDatabaseGroups('WlmGroups');

  const assertionStack = new Stack(app, 'IntegRedshiftAssertions', { env });
  const integ = new IntegTest(app, 'RedshiftInteg', {
    testCases: [stack],
    assertionStack,
    cdkCommandOptions: { destroy: { args: { force: true } } },
  });
  const parameterGroupName = warehouse.parameterGroup.ref;

  // The cluster, as the construct configured it, with its parameter group applied.
  const cluster = verify(integ.assertions.awsApiCall('Redshift', 'describeClusters', { ClusterIdentifier: warehouse.clusterIdentifier }),
    ExpectedResult.objectLike({
      Clusters: [{
        ClusterStatus: 'available',
        NodeType: 'ra3.large',
        NumberOfNodes: 1,
        DBName: 'analytics',
        MasterUsername: 'warehouse_admin',
        Encrypted: true,
        // Redshift reports the key as it was given (an ARN here); its id is in both forms.
        KmsKeyId: Match.stringLikeRegexp(warehouse.encryptionKey.keyId),
        PubliclyAccessible: false,
        EnhancedVpcRouting: true,
        Endpoint: { Port: 5440 },
        MasterPasswordSecretArn: warehouse.adminSecretArn,
        VpcSecurityGroups: [{ VpcSecurityGroupId: warehouse.securityGroup.securityGroupId, Status: 'active' }],
        ClusterParameterGroups: [{ ParameterGroupName: parameterGroupName, ParameterApplyStatus: 'in-sync' }],
      }],
    }), { totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

  // The parameters the construct set (Redshift lists them by name, in alphabetical order).
  const parameters = verify(integ.assertions.awsApiCall('Redshift', 'describeClusterParameters', {
    ParameterGroupName: parameterGroupName, Source: 'user',
  }), ExpectedResult.objectLike({
    Parameters: Match.arrayWith([
      Match.objectLike({ ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' }),
      Match.objectLike({ ParameterName: 'require_ssl', ParameterValue: 'true' }),
      Match.objectLike({ ParameterName: 'wlm_json_configuration', ParameterValue: Match.serializedJson(JSON.parse(warehouse.wlmJsonConfiguration)) }),
    ]),
  }));

  // Audit logs go to CloudWatch Logs.
  const logging = verify(integ.assertions.awsApiCall('Redshift', 'describeLoggingStatus', { ClusterIdentifier: warehouse.clusterIdentifier }),
    ExpectedResult.objectLike({ LoggingEnabled: true, LogDestinationType: 'cloudwatch' }));

  // A query through the Data API, signed in with the managed admin secret (TLS is required).
  const query = integ.assertions.awsApiCall('RedshiftData', 'executeStatement', {
    ClusterIdentifier: warehouse.clusterIdentifier,
    Database: 'analytics',
    SecretArn: warehouse.adminSecretArn,
    Sql: 'select current_database()',
  });
  // The Data API reads the secret with the caller's permissions; the secret is encrypted with the warehouse key.
  query.provider.addToRolePolicy({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [warehouse.adminSecretArn] });
  query.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [warehouse.encryptionKey.keyArn] });
  const finished = verify(integ.assertions.awsApiCall('RedshiftData', 'describeStatement', { Id: query.getAttString('Id') }),
    ExpectedResult.objectLike({ Status: 'FINISHED', HasResultSet: true, ResultRows: 1 }),
    { totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });

  // The schema and the group the stack created through its custom resources, as the system tables show them.
  const objects = integ.assertions.awsApiCall('RedshiftData', 'executeStatement', {
    ClusterIdentifier: warehouse.clusterIdentifier,
    Database: 'analytics',
    SecretArn: warehouse.adminSecretArn,
    Sql: "select schemaname, databasename from svv_external_schemas where schemaname = 'lake' "
      + "union all select groname, 'group' from pg_group where groname = 'etl'",
  });
  objects.provider.addToRolePolicy({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [warehouse.adminSecretArn] });
  objects.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [warehouse.encryptionKey.keyArn] });
  const objectsFound = verify(integ.assertions.awsApiCall('RedshiftData', 'describeStatement', { Id: objects.getAttString('Id') }),
    ExpectedResult.objectLike({ Status: 'FINISHED', HasResultSet: true, ResultRows: 2 }),
    { totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });

  cluster.next(parameters).next(logging).next(query).next(finished).next(objects).next(objectsFound);
  return app;
}

if (require.main === module) {
  redshiftIntegApp().synth();
}
