import * as redshift from 'aws-cdk-lib/aws-redshift';
import { Construct } from 'constructs';

/**
 * The parameter group of the cluster: TLS required, user activity logging on (the user activity audit log needs
 * it), the concurrency scaling ceiling and the workload management configuration.
 */
export function createParameterGroup(scope: Construct, clusterIdentifier: string,
  o: { maxConcurrencyScalingClusters: number; wlmJsonConfiguration: string }): redshift.CfnClusterParameterGroup {
  const parameters: redshift.CfnClusterParameterGroup.ParameterProperty[] = [
    { parameterName: 'require_ssl', parameterValue: 'true' },
    { parameterName: 'enable_user_activity_logging', parameterValue: 'true' },
    { parameterName: 'max_concurrency_scaling_clusters', parameterValue: String(o.maxConcurrencyScalingClusters) },
    { parameterName: 'wlm_json_configuration', parameterValue: o.wlmJsonConfiguration },
  ];
  return new redshift.CfnClusterParameterGroup(scope, 'ParameterGroup', {
    description: `Parameters of Redshift cluster ${clusterIdentifier}`,
    parameterGroupFamily: 'redshift-1.0',
    parameters,
  });
}
