import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import {
  AnalyticsNetwork, DataBucket, EmrCluster, GlueEtlPipeline, OpenSearchCluster, RedshiftWarehouse, StreamingDataLake,
  StreamingDataLakeSchema,
} from 'cdk-analytics-blueprints';

/** Zones of the bench stack (it overrides `availabilityZones`, so nothing is looked up). */
export const BENCH_AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/**
 * What `npm run bench` scales: each scenario adds one instance of a construct, with its defaults, to a
 * stack; only the props a construct requires are given. `i` makes ids unique.
 *
 * VPCs: every instance of a construct that needs a VPC creates its own (the default a user gets); none
 * is shared. The bench stack overrides `availabilityZones`, so the constructs that default to the
 * stack's zones (RedshiftWarehouse, GlueEtlPipeline) need no lookup.
 */
export const SCENARIOS: Record<string, (stack: Stack, i: number) => void> = {
  DataBucket: (stack, i) => { new DataBucket(stack, `Lake${i}`); },
  StreamingDataLake: (stack, i) => {
    new StreamingDataLake(stack, `Stream${i}`, {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'id', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ]),
    });
  },
  GlueEtlPipeline: (stack, i) => { new GlueEtlPipeline(stack, `Etl${i}`); },
  EmrCluster: (stack, i) => { new EmrCluster(stack, `Emr${i}`); },
  RedshiftWarehouse: (stack, i) => { new RedshiftWarehouse(stack, `Warehouse${i}`); },
  OpenSearchCluster: (stack, i) => {
    new OpenSearchCluster(stack, `Search${i}`, { network: AnalyticsNetwork.newVpc({ availabilityZones: BENCH_AZS }) });
  },
};
