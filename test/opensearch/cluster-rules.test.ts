import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Annotations } from 'aws-cdk-lib/assertions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

import { AnalyticsNetwork, OpenSearchCluster, OpenSearchClusterProps, OpenSearchIndexLifecycleProps } from '../../lib';
import { TEST_ENV, testApp, testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/**
 * The rules OpenSearch Service and the ISM plugin enforce late, and the inputs aws-cdk-lib's `Domain` throws
 * on while the construct builds: each is reported at synth, with the construct path, with every other problem,
 * and the domain gets a safe stand-in instead of a throw.
 */
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const at = (message: string) => `Test/Search: ${message}`;

/** Builds the cluster (never throws) and returns the validation messages, without synthesizing a template. */
function errorsOf(props: Partial<OpenSearchClusterProps>): string[] {
  const stack = testStack();
  new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), ...props });
  return stack.node.findAll().flatMap(validationMessages);
}

const lifecycle = (policyId: string, indexPatterns: string[], priority?: number): OpenSearchIndexLifecycleProps =>
  ({ policyId, indexPatterns, priority, deleteAfter: Duration.days(30) });

describe('inputs aws-cdk-lib would throw on are reported, not thrown', () => {
  test.each<[string, Partial<OpenSearchClusterProps>, string[]]>([
    ['a domain name with capitals and an underscore', { domainName: 'Logs_1' },
      ["domainName ('Logs_1') must be 3 to 28 characters: lowercase letters, digits and hyphens, starting with a letter"]],
    ['a domain name over 28 characters', { domainName: 'a'.repeat(29) },
      [`domainName ('${'a'.repeat(29)}') must be 3 to 28 characters: lowercase letters, digits and hyphens, starting with a letter`]],
    ['one availability zone', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 1) }), availabilityZoneCount: 1, multiAzWithStandbyEnabled: false, dataNodes: 2 },
      ['availabilityZoneCount (1) must be one of 2, 3']],
    ['an instance type without .search', { masterNodeInstanceType: 'm6g.large' },
      ["masterNodeInstanceType ('m6g.large') must be an instance type of the form <family>.<size>.search, such as r6g.large.search"]],
    ['an instance-storage data node type', { dataNodeInstanceType: 'i3.large.search' },
      ["dataNodeInstanceType ('i3.large.search') must not be an instance-storage type (i3, r6gd, i4g, i4i, i8g, im4gn, r7gd, r8gd, oi2): the construct attaches gp3 EBS volumes"]],
    ['a type without encryption at rest', { masterNodeInstanceType: 'm3.large.search' },
      ["masterNodeInstanceType ('m3.large.search') must not be m3, r3, t2: they do not support encryption at rest, which fine-grained access control needs"]],
    ['T3 data nodes with UltraWarm and standby', { dataNodeInstanceType: 't3.medium.search', warmNodes: 3 }, [
      "dataNodeInstanceType ('t3.medium.search') must not be T2 or T3 when warmNodes is above 0 (UltraWarm)",
      "dataNodeInstanceType ('t3.medium.search') must not be T3 when multiAzWithStandbyEnabled is true",
    ]],
    ['Elasticsearch 6.5 (no fine-grained access control)', { engineVersion: opensearch.EngineVersion.ELASTICSEARCH_6_5, multiAzWithStandbyEnabled: false },
      ["engineVersion ('Elasticsearch_6.5') must be Elasticsearch 6.7 or later (fine-grained access control)"]],
    ['an Elasticsearch version the service never offered', { engineVersion: opensearch.EngineVersion.elasticsearch('7.3'), multiAzWithStandbyEnabled: false },
      ["engineVersion ('Elasticsearch_7.3') must be an Elasticsearch version the service offers (1.5, 2.3, 5.1, 5.3, 5.5, 5.6, 6.0, 6.2-6.5, 6.7, 6.8, 7.1, 7.4, 7.7-7.10), or an OpenSearch version"]],
    ['an Elasticsearch version after 7.10 (the last the service offers)', { engineVersion: opensearch.EngineVersion.elasticsearch('7.11'), multiAzWithStandbyEnabled: false },
      ["engineVersion ('Elasticsearch_7.11') must be an Elasticsearch version the service offers (1.5, 2.3, 5.1, 5.3, 5.5, 5.6, 6.0, 6.2-6.5, 6.7, 6.8, 7.1, 7.4, 7.7-7.10), or an OpenSearch version"]],
    ['an engine version that is not major.minor', { engineVersion: opensearch.EngineVersion.openSearch('latest') },
      ["engineVersion ('OpenSearch_latest') must be OpenSearch_<major>.<minor> or Elasticsearch_<major>.<minor>"]],
    ['cold storage without UltraWarm', { coldStorageEnabled: true },
      ['coldStorageEnabled requires UltraWarm (warmNodes of at least 2)']],
    ['more IOPS than 500 per GiB', { volumeSize: Size.gibibytes(10), volumeIops: 6000 },
      ['volumeIops (6000) must be at most 500 per GiB of volumeSize (5000)']],
    ['more throughput than 0.25 MiB/s per IOPS', { volumeIops: 3000, volumeThroughput: 1000 },
      ['volumeThroughput (1000) must be at most 0.25 MiB/s per provisioned IOPS (750 MiB/s for volumeIops 3000)']],
  ])('reports %s', (_name, props, messages) => {
    expect(errorsOf(props)).toEqual(messages.map(at));
  });
});

describe('service limits checked at synth', () => {
  test.each<[string, Partial<OpenSearchClusterProps>, string[]]>([
    ['a volume larger than the instance type takes', { volumeSize: Size.gibibytes(3000) },
      ["volumeSize ('3000 GiB') must be at most 2048 GiB for r6g.large.search (gp3)"]],
    ['a data node type without gp3', { dataNodeInstanceType: 'm4.large.search' },
      ["dataNodeInstanceType ('m4.large.search') must support gp3 volumes (t2, m3, m4, c4, r3, r4, i2 do not)"]],
    ['alarm thresholds outside 0-100 percent or below 0', { alarmThresholds: { cpuUtilizationPercent: 120, freeStoragePercent: -5, shardsActive: -1, threadpoolWriteQueue: 1.5 } }, [
      'alarmThresholds.cpuUtilizationPercent (120) must be between 0 and 100 percent',
      'alarmThresholds.freeStoragePercent (-5) must be between 0 and 100 percent',
      'alarmThresholds.threadpoolWriteQueue (1.5) must be a whole number of at least 0',
      'alarmThresholds.shardsActive (-1) must be a whole number of at least 0',
    ]],
    ['no reserved concurrency of 0', { lifecycleFunctionReservedConcurrency: 0 },
      ['lifecycleFunctionReservedConcurrency (0) must be a whole number of at least 1']],
    ['a service-linked role for a public domain', { network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']), createServiceLinkedRole: true },
      ['createServiceLinkedRole requires a VPC network (the role lets OpenSearch Service manage network interfaces in your VPC)']],
    ['index patterns ISM rejects', { indexLifecycles: [lifecycle('logs', ['logs:app-*', '_hidden-*', 'a b'])] }, [
      "indexLifecycles[0].indexPatterns ('logs:app-*') must not contain : (ISM rejects # : \\ / ? \" < > | , and spaces)",
      "indexLifecycles[0].indexPatterns ('_hidden-*') must not start with _",
      "indexLifecycles[0].indexPatterns ('a b') must not contain a space (ISM rejects # : \\ / ? \" < > | , and spaces)",
    ]],
    ['two lifecycles whose patterns overlap at the same (default) priority', { indexLifecycles: [lifecycle('all-logs', ['logs-*']), lifecycle('app-logs', ['metrics-*', 'logs-app-*'])] },
      ["indexLifecycles[1].indexPatterns (['metrics-*', 'logs-app-*']) must not overlap indexLifecycles[0] ('all-logs') at the same priority (100): 'logs-app-*' and 'logs-*' can match the same index, which ISM rejects; give one lifecycle a different priority"]],
    ['patterns that overlap through wildcards on both sides', { indexLifecycles: [lifecycle('a', ['*-prod']), lifecycle('b', ['logs-*'], 100)] },
      ["indexLifecycles[1].indexPatterns (['logs-*']) must not overlap indexLifecycles[0] ('a') at the same priority (100): 'logs-*' and '*-prod' can match the same index, which ISM rejects; give one lifecycle a different priority"]],
  ])('fails %s', (_name, props, messages) => {
    expect(errorsOf(props)).toEqual(messages.map(at));
  });

  test('accepts overlapping lifecycles at different priorities, disjoint ones at the same priority, and tokens', () => {
    expect(errorsOf({ indexLifecycles: [lifecycle('all', ['logs-*'], 50), lifecycle('app', ['logs-app-*'], 100), lifecycle('metrics', ['metrics-*'])] })).toEqual([]);
    expect(errorsOf({
      indexLifecycles: [lifecycle('a', [Token.asString({ Ref: 'Pattern' })]), lifecycle('b', ['logs-*'], Token.asNumber({ Ref: 'Priority' }))],
      alarmThresholds: { cpuUtilizationPercent: Token.asNumber({ Ref: 'Cpu' }) },
      domainName: Token.asString({ Ref: 'Name' }),
      lifecycleFunctionReservedConcurrency: 5,
    })).toEqual([]);
  });

  test('checks lifecycles added after construction', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), indexLifecycles: [lifecycle('all', ['logs-*'])] });
    search.addIndexLifecycle(lifecycle('app', ['logs-app-*']));
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([expect.stringContaining("indexLifecycles[1].indexPatterns (['logs-app-*']) must not overlap")]);
  });
});

describe('warnings', () => {
  test('warns, without failing, on an instance family the construct does not know', () => {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), dataNodeInstanceType: 'x9.large.search' });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Test/Search', "dataNodeInstanceType ('x9.large.search') is of a family the construct does not know (x9); check it is offered in your region: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html [ack: cdk-analytics-blueprints:opensearchUnknownInstanceType]");
  });
});

describe('one synth reports every mistake', () => {
  test('an app with several mistakes, some of which aws-cdk-lib throws on, fails once with all of them', () => {
    const app = testApp();
    const stack = new Stack(app, 'Test', { env: TEST_ENV });
    new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), domainName: 'Bad_Name', dataNodeInstanceType: 'i3.large.search',
      volumeIops: 3000, volumeThroughput: 1000, coldStorageEnabled: true,
    });
    new OpenSearchCluster(stack, 'Other', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), engineVersion: opensearch.EngineVersion.openSearch('x'), masterNodes: 4,
    });
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    for (const expected of [
      "[Test/Search] domainName ('Bad_Name') must be",
      "[Test/Search] dataNodeInstanceType ('i3.large.search') must not be an instance-storage type",
      '[Test/Search] volumeThroughput (1000) must be at most 0.25 MiB/s per provisioned IOPS',
      '[Test/Search] coldStorageEnabled requires UltraWarm',
      "[Test/Other] engineVersion ('OpenSearch_x') must be OpenSearch_<major>.<minor>",
      '[Test/Other] masterNodes (4) must be one of 3, 5',
    ]) {
      expect(message).toContain(expected);
    }
  });
});
