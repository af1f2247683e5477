/**
 * The quickstart stacks whose code docs/data-bucket.md, docs/foundations.md, docs/emr.md, docs/redshift.md and
 * docs/opensearch.md show (test/docs/snippets.test.ts checks the pages show it verbatim): each synthesizes as a new
 * user's stack would, with an explicit env, no context lookup, no warning and no unacknowledged cdk-nag finding.
 * The other quickstarts have their tests next to their architecture's (test/<architecture>/readme.test.ts).
 */
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RedshiftSnapshotCopyGrant } from 'cdk-analytics-blueprints';

import { FoundationsQuickstartStack } from '../../examples/analytics-platform/quickstart';
import { EmrQuickstartStack } from '../../examples/emr-spot/quickstart';
import { OpenSearchQuickstartStack } from '../../examples/opensearch-logs/quickstart';
import { RedshiftQuickstartStack } from '../../examples/redshift-warehouse/quickstart';
import { DataBucketQuickstartStack } from '../../examples/secure-data-bucket/quickstart';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';

const quickstarts: [string, (app: ReturnType<typeof quickstartApp>) => Stack][] = [
  ['examples/secure-data-bucket/quickstart', app => new DataBucketQuickstartStack(app, 'DataBucketQuickstart', { env: TEST_ENV })],
  ['examples/analytics-platform/quickstart', app => new FoundationsQuickstartStack(app, 'FoundationsQuickstart', { env: TEST_ENV })],
  ['examples/emr-spot/quickstart', app => new EmrQuickstartStack(app, 'EmrQuickstart', { env: TEST_ENV })],
  ['examples/redshift-warehouse/quickstart', app => {
    const dr = new Stack(app, 'Dr', { env: { ...TEST_ENV, region: 'us-west-2' } });
    const copyGrant = new RedshiftSnapshotCopyGrant(dr, 'Grant', { grantName: 'analytics-warehouse-dr' });
    return new RedshiftQuickstartStack(app, 'RedshiftQuickstart', { env: TEST_ENV, copyGrant });
  }],
  ['examples/opensearch-logs/quickstart', app => new OpenSearchQuickstartStack(app, 'OpenSearchQuickstart', { env: TEST_ENV })],
];

describe.each(quickstarts)('%s', (_name, create) => {
  let stack: Stack;
  beforeAll(() => {
    stack = create(quickstartApp());
    Template.fromStack(stack);
  });

  test('synthesizes with no lookup, no warning and no cdk-nag finding', () => {
    expect(missingContext(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });
});
