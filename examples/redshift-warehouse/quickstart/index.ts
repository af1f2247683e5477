import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import {
  AnalyticsNetwork, DataBucket, QmrAction, QmrMetric, RedshiftSnapshotCopyGrant, RedshiftWarehouse, WlmQueuePriority, WorkloadManagement,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/** Props of `RedshiftQuickstartStack`. */
export interface RedshiftQuickstartStackProps extends StackProps {
  /** The snapshot copy grant, in a stack of us-west-2 (docs/redshift.md, "Cross-region snapshot copy"). */
  readonly copyGrant: RedshiftSnapshotCopyGrant;
}

/**
 * The RedshiftWarehouse snippet of docs/redshift.md, as a stack that compiles and synthesizes: the page shows the code
 * between the README markers (`npm run docs:snippets` writes it there; test/docs/snippets.test.ts checks it).
 * examples/redshift-warehouse is the fuller pair of stacks (source and DR region).
 */
export class RedshiftQuickstartStack extends Stack {
  public readonly warehouse: RedshiftWarehouse;

  constructor(scope: Construct, id: string, props: RedshiftQuickstartStackProps) {
    super(scope, id, props);
    // What the snippet presumes the stack has: the grant, and the security group of the BI tools.
    const grant = props.copyGrant;
    const biSecurityGroup = ec2.SecurityGroup.fromSecurityGroupId(this, 'BiSecurityGroup', 'sg-0123456789abcdef0');
    // README:start
    const lake = new DataBucket(this, 'Lake');
    // The catalog database of the external schema: yours, or a StreamingDataLake's `database`.
    const lakeDatabase = new glue.Database(this, 'LakeDatabase', { databaseName: 'lake' });
    const warehouse = new RedshiftWarehouse(this, 'Warehouse', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }), // all synth needs, no lookup
      workloadManagement: WorkloadManagement.automatic({
        queues: [
          { name: 'etl', userGroups: ['etl'], priority: WlmQueuePriority.HIGH },
          { name: 'bi', userGroups: ['bi_*'], userGroupsWildcard: true, concurrencyScaling: true,
            rules: [{ name: 'abort_nested_loops', predicates: [{ metric: QmrMetric.NESTED_LOOP_JOIN_ROW_COUNT, value: 1_000_000 }], action: QmrAction.ABORT }] },
        ],
      }),
      spectrum: { lakeBuckets: [lake.bucket], glueDatabases: [lakeDatabase] },
      // `grant`: a RedshiftSnapshotCopyGrant in a stack of us-west-2 (see "Cross-region snapshot copy").
      snapshotCopy: { destinationRegion: 'us-west-2', grant },
    });
    warehouse.connections.allowDefaultPortFrom(biSecurityGroup);
    warehouse.addExternalSchema('LakeSchema', { schemaName: 'lake', glueDatabase: lakeDatabase }); // SQL as code, see below
    warehouse.addDatabaseGroups('WlmGroups'); // creates the group etl
    // README:end
    this.warehouse = warehouse;
  }
}
