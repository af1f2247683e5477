import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';

import {
  AnalyticsNetwork, QmrAction, QmrMetric, RedshiftAuditLog, RedshiftAuditLogging, RedshiftNodeType, RedshiftWarehouse,
  RedshiftWarehouseProps, WorkloadManagement,
} from '../../lib';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';
import { validationMessages } from '../util/validation-messages';

/**
 * Mistakes a user would plausibly write, each caught at synth with the construct path, the property, the value
 * and what is allowed, all reported together: also those aws-cdk-lib would throw on while the warehouse builds.
 */
function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'] });
}

function build(props: (stack: Stack) => RedshiftWarehouseProps): Stack {
  const stack = testStack();
  const given = props(stack);
  new RedshiftWarehouse(stack, 'Wh', { ...given, network: 'network' in given ? given.network : AnalyticsNetwork.fromVpc(importedVpc(stack)) });
  return stack;
}

function errors(props: RedshiftWarehouseProps | ((stack: Stack) => RedshiftWarehouseProps)): string[] {
  const stack = build(typeof props === 'function' ? props : () => props);
  return stack.node.findAll().flatMap(validationMessages);
}

function warnings(props: RedshiftWarehouseProps, id: string): string[] {
  return Annotations.fromStack(build(() => props)).findWarning('*', Match.stringLikeRegexp(id)).map(w => String(w.entry.data));
}

describe('RedshiftWarehouse validation of alarm thresholds', () => {
  test('fails percentages outside 0-100 and negative counts', () => {
    expect(errors({ alarmThresholds: { cpuUtilizationPercent: 120, diskSpaceUsedPercent: -5, queuedQueries: -1 } })).toEqual([
      'Test/Wh: alarmThresholds.cpuUtilizationPercent (120) must be between 0 and 100 percent',
      'Test/Wh: alarmThresholds.diskSpaceUsedPercent (-5) must be between 0 and 100 percent',
      'Test/Wh: alarmThresholds.queuedQueries (-1) must be at least 0 queries',
    ]);
  });

  test('accepts the bounds and tokens', () => {
    expect(errors({ alarmThresholds: { cpuUtilizationPercent: 100, diskSpaceUsedPercent: 0, queuedQueries: 0 } })).toEqual([]);
    expect(errors({ alarmThresholds: { cpuUtilizationPercent: Token.asNumber({ Ref: 'Cpu' }), queuedQueries: Token.asNumber({ Ref: 'Q' }) } })).toEqual([]);
  });
});

describe('RedshiftWarehouse validation of the escape hatches', () => {
  test('RedshiftNodeType.of() of a listed node type keeps its limits', () => {
    expect(RedshiftNodeType.of('ra3.xlplus')).toBe(RedshiftNodeType.RA3_XLPLUS);
    expect(errors({ nodeType: RedshiftNodeType.of('ra3.4xlarge'), numberOfNodes: 1 })).toEqual([
      'Test/Wh: numberOfNodes (1) must be between 2 and 32 for ra3.4xlarge: it does not support single-node clusters',
    ]);
  });

  test('warns on a node type this library does not list', () => {
    expect(warnings({ nodeType: RedshiftNodeType.of('ra3.future') }, 'redshiftUnknownNodeType')).toEqual([
      "nodeType 'ra3.future' is not a node type this library lists: only the general limits are checked (1 node, or 2 to 128), " +
      'and RA3 features are assumed from the ra3. prefix. Check the node range at ' +
      'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-node-type-info ' +
      '[ack: cdk-analytics-blueprints:redshiftUnknownNodeType]',
    ]);
    expect(warnings({ nodeType: RedshiftNodeType.RA3_LARGE }, 'redshiftUnknownNodeType')).toEqual([]);
  });

  test('fails a node type name that is not <family>.<size> in lowercase', () => {
    expect(errors({ nodeType: RedshiftNodeType.of('RA3.XLPLUS') })).toEqual([
      "Test/Wh: nodeType ('RA3.XLPLUS') must be a node type name, <family>.<size> in lowercase letters and digits, such as 'ra3.xlplus'",
    ]);
  });

  test('QmrMetric.of() of a listed metric keeps its maximum, and an unknown metric warns', () => {
    expect(QmrMetric.of('query_cpu_time')).toBe(QmrMetric.QUERY_CPU_TIME);
    const wlm = (metric: QmrMetric) => WorkloadManagement.automatic({
      defaultQueue: { rules: [{ name: 'r', predicates: [{ metric, value: 1_000_000 }], action: QmrAction.LOG }] },
    });
    expect(errors({ workloadManagement: wlm(QmrMetric.of('query_cpu_time')) })).toEqual([
      'Test/Wh: workloadManagement.defaultQueue.rules[0].predicates[0].value (1000000) must be a whole number between 0 and 999999 for query_cpu_time',
    ]);
    expect(warnings({ workloadManagement: wlm(QmrMetric.of('query_future_metric')) }, 'redshiftUnknownQmrMetric')).toEqual([
      "workloadManagement.defaultQueue.rules[0]: metric 'query_future_metric' is not one this library lists, so only its lower bound (0) " +
      'is checked. Check the name and range at https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-query-monitoring-rules.html ' +
      '[ack: cdk-analytics-blueprints:redshiftUnknownQmrMetric]',
    ]);
    expect(errors({ workloadManagement: wlm(QmrMetric.of('Query CPU')) })).toEqual([
      "Test/Wh: workloadManagement.defaultQueue.rules[0].predicates[0].metric ('Query CPU') must be a metric name of lowercase letters, digits and underscores, such as 'query_cpu_time'",
    ]);
  });
});

describe('RedshiftWarehouse validation of values aws-cdk-lib would throw on', () => {
  test('fails WLM durations that are not whole milliseconds instead of throwing while rendering them', () => {
    expect(errors({ workloadManagement: WorkloadManagement.manual({
      defaultQueue: { timeout: Duration.millis(1.5) }, shortQueryMaxRuntime: Duration.millis(1500.5),
    }) })).toEqual([
      'Test/Wh: workloadManagement.defaultQueue.timeout (1.5 milliseconds) must be a whole number of milliseconds, at least 1',
      'Test/Wh: workloadManagement.shortQueryMaxRuntime (1500.5 milliseconds) must be a whole number of milliseconds',
    ]);
  });

  test('fails a VPC with no isolated or private subnet, naming the property, instead of throwing', () => {
    expect(errors(stack => ({
      network: AnalyticsNetwork.fromVpc(ec2.Vpc.fromVpcAttributes(stack, 'PublicVpc', { vpcId: 'vpc-2', availabilityZones: ['us-east-1a'], publicSubnetIds: ['subnet-9'] })),
    }))).toEqual([
      'Test/Wh: network has no isolated or private subnets: the cluster is not publicly accessible and belongs in private subnets ' +
      '(pass AnalyticsNetwork.fromVpc(vpc, { subnets }) to choose others: There are no \'Private\' subnet groups in this VPC. Available types: Public)',
    ]);
  });

  test('fails a subnet selection that selects nothing, naming the property, instead of throwing', () => {
    expect(errors(stack => ({ network: AnalyticsNetwork.fromVpc(importedVpc(stack), { subnets: { subnetGroupName: 'nope' } }) }))).toEqual([
      "Test/Wh: network.subnets cannot be selected: There are no subnet groups with name 'nope' in this VPC. Available names: Isolated",
    ]);
    expect(errors(stack => ({
      network: AnalyticsNetwork.fromVpc(importedVpc(stack), { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: ['us-east-1c'] } }),
    }))).toEqual([
      'Test/Wh: network.subnets selects no subnet: a cluster subnet group needs at least one',
    ]);
  });
});

describe('RedshiftWarehouse messages', () => {
  test('show a duration given in hours in the one unit of the rule (days)', () => {
    expect(errors({ snapshotCopy: { destinationRegion: 'us-west-2', grantName: 'dr-grant', retention: Duration.hours(36) } })).toEqual([
      'Test/Wh: snapshotCopy.retention (1.5 days) must be a whole number of days between 1 and 35',
    ]);
  });
});

describe('RedshiftWarehouse validation of names', () => {
  test('fails a database name or admin user that is a Redshift reserved word', () => {
    expect(errors({ databaseName: 'select', masterUsername: 'user' })).toEqual([
      "Test/Wh: databaseName ('select') must not be a reserved word of Redshift (SELECT)",
      "Test/Wh: masterUsername ('user') must not be a reserved word of Redshift (USER)",
    ]);
  });

  test('fails an S3 audit key prefix Redshift rejects, and an empty or repeated list of logs', () => {
    expect(errors(stack => ({
      auditLogging: RedshiftAuditLogging.s3({
        bucket: new s3.Bucket(stack, 'Audit', { encryption: s3.BucketEncryption.S3_MANAGED }), keyPrefix: "audit logs/it's",
        logs: [RedshiftAuditLog.USER, RedshiftAuditLog.USER],
      }),
    }))).toEqual([
      "Test/Wh: auditLogging.logs (['userlog', 'userlog']) must name each log once",
      "Test/Wh: auditLogging.keyPrefix ('audit logs/it's') must be at most 512 printable ASCII characters, without spaces, quotes or backslashes",
    ]);
    expect(errors({ auditLogging: RedshiftAuditLogging.cloudWatch({ logs: [] }) })).toEqual([
      'Test/Wh: auditLogging.logs (0 entries) must have between 1 and 3 entries',
    ]);
  });

  test('fails Spectrum without a lake bucket, and Glue database names that are patterns', () => {
    const s = testStack('Db');
    expect(errors({ spectrum: { lakeBuckets: [], glueDatabases: [gluedb(s, 'sales'), gluedb(s, 'raw*'), gluedb(s, 'raw/2024')] } })).toEqual([
      'Test/Wh: spectrum.lakeBuckets (0 entries) must have at least 1 entry: the Spectrum role reads the lake from them',
      "Test/Wh: spectrum.glueDatabases[1].databaseName ('raw*') must be a Glue database name (1 to 255 characters, no *, ? or /): the role is scoped to the databases named",
      "Test/Wh: spectrum.glueDatabases[2].databaseName ('raw/2024') must be a Glue database name (1 to 255 characters, no *, ? or /): the role is scoped to the databases named",
    ]);
  });
});

describe('RedshiftWarehouse reports every mistake in one synth', () => {
  test('collects errors of several properties, including those aws-cdk-lib would throw on', () => {
    const all = errors(stack => ({
      numberOfNodes: 2.5, port: 5440.5, databaseName: 'Sales', alarmThresholds: { diskSpaceUsedPercent: 150 },
      network: AnalyticsNetwork.fromVpc(importedVpc(stack), { subnets: { subnetGroupName: 'nope' } }),
      workloadManagement: WorkloadManagement.manual({ defaultQueue: { timeout: Duration.millis(0.5) } }),
    }));
    // Each message: `<path>: <property> ...`.
    expect(all.map(e => e.split(' ').slice(0, 2).join(' '))).toEqual([
      'Test/Wh: numberOfNodes', 'Test/Wh: databaseName', 'Test/Wh: port', 'Test/Wh: workloadManagement.defaultQueue.timeout',
      'Test/Wh: alarmThresholds.diskSpaceUsedPercent', 'Test/Wh: network.subnets',
    ]);
    expect(all.join('\n')).not.toMatch(/9007199254740991/);
  });
});
