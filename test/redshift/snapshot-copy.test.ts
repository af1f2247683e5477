import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

import { AnalyticsNetwork, RedshiftSnapshotCopy, RedshiftSnapshotCopyGrant, RedshiftWarehouse } from '../../lib';
import { testApp } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/**
 * Cross-region snapshot copy: the warehouse takes the grant construct (and then orders its stack after the
 * grant's stack), or the name of a grant made outside the app.
 */
const ACCOUNT = '111111111111';

interface Pair {
  readonly app: App;
  readonly dr: Stack;
  readonly grant: RedshiftSnapshotCopyGrant;
  readonly source: Stack;
}

function pair(drRegion = 'eu-west-1', drAccount = ACCOUNT): Pair {
  // The first test synthesizes the app for its manifest only: without the template validation (a WASM engine).
  const app = testApp({ builtinCloudFormationValidation: false });
  const dr = new Stack(app, 'Dr', { env: { account: drAccount, region: drRegion } });
  const grant = new RedshiftSnapshotCopyGrant(dr, 'Grant', { grantName: 'dr-grant' });
  const source = new Stack(app, 'Source', { env: { account: ACCOUNT, region: 'eu-central-1' } });
  return { app, dr, grant, source };
}

function warehouse(stack: Stack, snapshotCopy: RedshiftSnapshotCopy): RedshiftWarehouse {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-central-1a'], isolatedSubnetIds: ['subnet-1'] });
  return new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(vpc), snapshotCopy });
}

function errors(stack: Stack): string[] {
  return stack.node.findAll().flatMap(validationMessages);
}

describe('RedshiftWarehouse snapshot copy', () => {
  test('given the grant construct, uses its name and deploys after the grant stack', () => {
    const { app, dr, grant, source } = pair();
    const w = warehouse(source, { destinationRegion: 'eu-west-1', grant, retention: Duration.days(14) });
    expect(w.cluster.snapshotCopyGrantName).toBe('dr-grant');
    expect(source.resolve(w.cluster.destinationRegion)).toBe('eu-west-1');
    expect(w.cluster.snapshotCopyRetentionPeriod).toBe(14);
    expect(source.dependencies).toEqual([dr]);
    // The cloud assembly carries the order, so `cdk deploy --all` creates the grant first.
    const manifest = app.synth().getStackArtifact(source.artifactId);
    expect(manifest.dependencies.map(d => d.id)).toContain(dr.artifactId);
    expect(errors(source)).toEqual([]);
  });

  test('given only a grant name (a grant made outside the app), adds no stack dependency', () => {
    const { source } = pair();
    const w = warehouse(source, { destinationRegion: 'eu-west-1', grantName: 'made-elsewhere' });
    expect(w.cluster.snapshotCopyGrantName).toBe('made-elsewhere');
    expect(source.dependencies).toEqual([]);
    expect(errors(source)).toEqual([]);
  });

  test('fails a grant in another region than destinationRegion, naming both', () => {
    const { grant, source } = pair('us-west-2');
    warehouse(source, { destinationRegion: 'eu-west-1', grant });
    expect(errors(source)).toEqual([
      "Source/Wh: snapshotCopy.destinationRegion ('eu-west-1') must be the region of snapshotCopy.grant (Dr/Grant is in 'us-west-2'): " +
      'Redshift looks the grant up by name in the destination region',
    ]);
  });

  test('fails a grant of another account', () => {
    const { grant, source } = pair('eu-west-1', '222222222222');
    warehouse(source, { destinationRegion: 'eu-west-1', grant });
    expect(errors(source)).toEqual([
      "Source/Wh: snapshotCopy.grant (Dr/Grant) must be in the account of the warehouse ('111111111111', not '222222222222'): " +
      'a snapshot copy grant serves clusters of its own account',
    ]);
  });

  test('fails a snapshot copy with neither a grant nor a grant name, or with both disagreeing', () => {
    const { grant, source } = pair();
    warehouse(source, { destinationRegion: 'eu-west-1' });
    expect(errors(source)).toEqual([
      'Source/Wh: snapshotCopy needs grant (a RedshiftSnapshotCopyGrant of this app) or grantName (a grant made outside it): ' +
      'the cluster is encrypted with KMS, so copies need a snapshot copy grant in the destination region',
    ]);
    const other = pair();
    warehouse(other.source, { destinationRegion: 'eu-west-1', grant: other.grant, grantName: 'something-else' });
    expect(errors(other.source)).toEqual([
      "Source/Wh: snapshotCopy.grantName ('something-else') must be the name of snapshotCopy.grant ('dr-grant') when both are set",
    ]);
    expect(grant.grantName).toBe('dr-grant');
  });

  test('fails a grant in the warehouse stack (one stack has one region)', () => {
    const { source } = pair();
    const grant = new RedshiftSnapshotCopyGrant(source, 'LocalGrant', { grantName: 'local-grant' });
    warehouse(source, { destinationRegion: 'eu-west-1', grant });
    expect(errors(source)).toEqual([
      'Source/Wh: snapshotCopy.grant (Source/LocalGrant) must be in a stack of the destination region, not in the stack of the warehouse',
    ]);
    expect(source.dependencies).toEqual([]);
  });

  test('skips the region check when either region is a token', () => {
    const app = new App();
    const dr = new Stack(app, 'Dr');
    const grant = new RedshiftSnapshotCopyGrant(dr, 'Grant', { grantName: 'dr-grant' });
    const source = new Stack(app, 'Source', { env: { account: ACCOUNT, region: 'eu-central-1' } });
    warehouse(source, { destinationRegion: Token.asString({ Ref: 'DrRegion' }), grant });
    expect(errors(source)).toEqual([]);
    expect(source.dependencies).toEqual([dr]);
  });
});
