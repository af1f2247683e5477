import { Match, Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';

import { AthenaQueryTable, AthenaWorkgroup, ManagedPolicyRole, StreamingDataLake, StreamingDataLakeSchema } from '../../lib';
import { testStack } from '../util/app';

// One stack for the whole file: a lake, a workgroup over its table with the defaults, an analyst granted grantQuery.
const stack = testStack();
const lake = new StreamingDataLake(stack, 'Lake', {
  schema: StreamingDataLakeSchema.fromColumns([
    { name: 'user_id', type: glue.Schema.STRING },
    { name: 'page', type: glue.Schema.STRING },
  ], { tableName: 'clicks' }),
  dataPrefix: 'clicks/',
  partitionKeys: [{ name: 'event_type', query: '.event_type' }],
});
const queries = new AthenaWorkgroup(stack, 'Queries', { tables: [AthenaQueryTable.fromStreamingDataLake(lake)], failedQueryNotifications: true });
const analyst = new ManagedPolicyRole(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
queries.grantQuery(analyst);
const template = Template.fromStack(stack);
const ref = (x: { node: { defaultChild?: unknown } } | unknown) => stack.resolve(x);

/** The statements of the analyst's one policy. */
function analystStatements(): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  return stack.resolve((analyst.policy.node.defaultChild as iam.CfnManagedPolicy).policyDocument).Statement;
}

describe('AthenaWorkgroup', () => {
  test('enforces engine version 3, SSE-KMS results in its own bucket, the 100 GiB default cutoff and CloudWatch metrics', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: queries.workGroupName,
      State: 'ENABLED',
      RecursiveDeleteOption: false,
      WorkGroupConfiguration: {
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 100 * 1024 ** 3,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        ResultConfiguration: {
          OutputLocation: { 'Fn::Join': ['', ['s3://', ref(queries.resultsBucket.bucketName), '/athena-results/']] },
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: ref(queries.resultsEncryptionKey.keyArn) },
          ExpectedBucketOwner: '111111111111',
        },
      },
    });
    expect(queries.workGroupName).toMatch(/^[a-zA-Z0-9._-]{1,128}$/);
    expect(queries.resultsEncryptionKey).toBe(queries.resultsDataBucket!.encryptionKey);
  });

  test('expires query results after 30 days, in a bucket kept on stack deletion', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'athena-results/', ExpirationInDays: 30, Status: 'Enabled' })]) },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'athena-results/' })]) } }) });
  });

  test('saves a sample query of the lake table with a parameter per partition key, in the workgroup', () => {
    template.hasResourceProperties('AWS::Athena::NamedQuery', {
      WorkGroup: ref(queries.workGroup.ref),
      Database: ref(lake.databaseName),
      Name: { 'Fn::Join': ['', ['Sample: one partition of ', ref(lake.tableName)]] },
      QueryString: {
        'Fn::Join': ['', [
          'SELECT "user_id", "page"\nFROM "', ref(lake.databaseName), '"."', ref(lake.tableName),
          '"\nWHERE "event_type" = ?\n  AND "year" = ?\n  AND "month" = ?\n  AND "day" = ?\n  AND "hour" = ?\nLIMIT 100',
        ]],
      },
    });
  });

  test('grantQuery gives exactly the workgroup actions on this workgroup', () => {
    const statement = analystStatements().find(s => ([] as string[]).concat(s.Action).includes('athena:StartQueryExecution'))!;
    expect(statement.Action).toEqual([
      'athena:BatchGetNamedQuery', 'athena:BatchGetQueryExecution', 'athena:GetNamedQuery', 'athena:GetQueryExecution',
      'athena:GetQueryResults', 'athena:GetQueryResultsStream', 'athena:GetQueryRuntimeStatistics', 'athena:GetWorkGroup',
      'athena:ListNamedQueries', 'athena:ListQueryExecutions', 'athena:StartQueryExecution', 'athena:StopQueryExecution',
    ]);
    expect(statement.Resource).toEqual(ref(queries.workGroupArn));
  });

  test('grantQuery gives the Glue reads of the table, its data prefix only, and the results prefix, with the keys through S3', () => {
    const statements = analystStatements();
    const glueRead = statements.find(s => ([] as string[]).concat(s.Action).includes('glue:GetTable'))!;
    expect(glueRead.Resource).toHaveLength(3);
    expect(JSON.stringify(glueRead.Resource)).toContain(':table/');
    const objects = statements.filter(s => s.Action === 's3:GetObject');
    expect(objects.map(s => s.Resource)).toEqual([{ 'Fn::Join': ['', [ref(lake.bucket.bucketArn), '/clicks/*']] }]);
    const results = statements.find(s => Array.isArray(s.Action) && s.Action.includes('s3:PutObject'))!;
    expect(results.Action).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject']);
    expect(results.Resource).toEqual({ 'Fn::Join': ['', [ref(queries.resultsBucket.bucketArn), '/athena-results/*']] });
    const keys = statements.filter(s => JSON.stringify(s.Action).includes('kms:'));
    expect(keys.map(s => [s.Action, s.Condition])).toEqual([
      ['kms:Decrypt', { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }],
      [['kms:Decrypt', 'kms:GenerateDataKey'], { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }],
    ]);
    expect(statements.every(s => !JSON.stringify(s.Action).includes('*'))).toBe(true);
  });

  test('notifies failed queries of this workgroup through EventBridge', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.athena'], 'detail-type': ['Athena Query State Change'],
        'detail': { currentState: ['FAILED'], workgroupName: [queries.workGroupName] } },
    });
  });

  test('alarms on failed queries and processed bytes, summed over the query states and types Athena reports', () => {
    expect(queries.monitoring.alarms.map(a => a.node.id)).toEqual(['FailedQueries', 'ProcessedBytes']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(totalexecutiontime_failed_dml, 0) + FILL(totalexecutiontime_failed_ddl, 0) + FILL(totalexecutiontime_failed_utility, 0)' }),
        Match.objectLike({ Id: 'totalexecutiontime_failed_dml', MetricStat: { Metric: { Namespace: 'AWS/Athena', MetricName: 'TotalExecutionTime',
          Dimensions: Match.arrayWith([{ Name: 'QueryState', Value: 'FAILED' }, { Name: 'QueryType', Value: 'DML' }]) },
        Period: 900, Stat: 'SampleCount' }, ReturnData: false }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1024 ** 4,
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'processedbytes_canceled_dml', MetricStat: { Metric: { Namespace: 'AWS/Athena', MetricName: 'ProcessedBytes',
        Dimensions: Match.arrayWith([{ Name: 'QueryState', Value: 'CANCELED' }]) }, Period: 3600, Stat: 'Sum' }, ReturnData: false })]),
    });
  });
});
