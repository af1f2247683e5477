import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

import { RedshiftNodeType } from '../node-type';
import { QmrMetric } from '../wlm/query-monitoring-rule';
import { WorkloadManagement } from '../wlm/workload-management';

/** The subnets of the cluster subnet group, or why they cannot be selected (`[property, rule]`, reported at synth). */
export interface ClusterSubnets {
  readonly subnetIds: string[];
  readonly subnets: ec2.ISubnet[];
  readonly subnetProblem?: [string, string];
}

/**
 * The subnets of the cluster: `selection`, or the VPC's isolated subnets if it has any, else its private subnets
 * with egress. aws-cdk-lib throws when a selection matches no subnet group; that is turned into a synth error
 * naming the property, with no subnet as a stand-in, so that it is reported together with every other problem.
 */
export function selectClusterSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): ClusterSubnets {
  const property = selection ? 'network.subnets' : 'network';
  try {
    const selected = vpc.selectSubnets(selection
      ?? { subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS });
    // A cluster subnet group needs at least one subnet. https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateClusterSubnetGroup.html
    if (selected.subnets.length === 0) {
      return { subnetIds: [], subnets: [], subnetProblem: [`${property} selects no subnet:`, 'a cluster subnet group needs at least one'] };
    }
    return { subnetIds: selected.subnetIds, subnets: selected.subnets };
  } catch (e) {
    const message = (e as Error).message;
    return {
      subnetIds: [], subnets: [], subnetProblem: selection
        ? ['network.subnets cannot be selected:', message]
        : ['network has no isolated or private subnets:',
          `the cluster is not publicly accessible and belongs in private subnets (pass AnalyticsNetwork.fromVpc(vpc, { subnets }) to choose others: ${message})`],
    };
  }
}

/**
 * Warns about values given through an `of()` escape hatch that this library does not list: they are passed on,
 * but only general limits are checked for them.
 */
export function warnAboutUnlistedOptions(scope: IConstruct, nodeType: RedshiftNodeType, wlm: WorkloadManagement): void {
  if (RedshiftNodeType.of(nodeType.name) !== nodeType) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:redshiftUnknownNodeType',
      `nodeType '${nodeType.name}' is not a node type this library lists: only the general limits are checked (1 node, or 2 to ` +
      `${nodeType.maxNodes}), and RA3 features are assumed from the ra3. prefix. Check the node range at ` +
      'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-node-type-info');
  }
  for (const { path, metric } of wlm._metrics()) {
    if (QmrMetric.of(metric.name) !== metric) {
      Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:redshiftUnknownQmrMetric',
        `${path}: metric '${metric.name}' is not one this library lists, so only its lower bound (0) is checked. Check the name ` +
        'and range at https://docs.aws.amazon.com/redshift/latest/dg/cm-c-wlm-query-monitoring-rules.html');
    }
  }
}

/**
 * Warns when the WLM configuration enables concurrency scaling on a cluster of more than 32 nodes: allowed but
 * ineffective, since concurrency scaling only takes queries from clusters created with at most 32 nodes.
 * https://docs.aws.amazon.com/redshift/latest/dg/concurrency-scaling-candidates.html
 */
export function warnAboutIneffectiveConcurrencyScaling(scope: IConstruct, wlm: WorkloadManagement, numberOfNodes: number): void {
  if (wlm.usesConcurrencyScaling && !Token.isUnresolved(numberOfNodes) && numberOfNodes > 32) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:redshiftConcurrencyScalingNodes',
      `workloadManagement enables concurrency scaling, but a cluster created with ${numberOfNodes} nodes (more than 32) ` +
      'never routes queries to concurrency scaling clusters');
  }
}
