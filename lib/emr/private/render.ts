import { Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import type { EmrClusterProps } from '../cluster-props';
import { EmrScalingUnit } from '../scaling';
import { EmrSecurityConfiguration } from '../security-configuration';
import { EmrStep } from '../step';
import { renderConfigurations, renderInstances } from './instances';
import { EmrSecurityGroups } from './network';
import { ResolvedClusterProps } from './rules';

/** What the cluster resource refers to. */
export interface ClusterResources {
  readonly serviceRole: iam.IRole;
  readonly instanceProfile: iam.CfnInstanceProfile;
  readonly autoScalingRole?: iam.IRole;
  readonly securityConfiguration: EmrSecurityConfiguration;
  readonly logBucket: s3.IBucket;
  readonly encryptionKey: kms.IKey;
  readonly subnets: ec2.ISubnet[];
  readonly securityGroups: EmrSecurityGroups;
  /** The user's group (`AnalyticsNetwork.fromVpc(vpc, { securityGroup })`), attached to every node. */
  readonly additionalSecurityGroup?: ec2.ISecurityGroup;
}

/** The `AWS::EMR::Cluster` of an `EmrCluster`. */
export function renderCluster(scope: Construct, props: EmrClusterProps, p: ResolvedClusterProps, r: ClusterResources): emr.CfnCluster {
  const sgs = r.securityGroups;
  const fleets = p.capacity.fleets !== undefined;
  const ms = p.managedScaling;
  const idle = p.idleTimeout;
  const autoTermination = idle.isUnresolved() || idle.toSeconds({ integral: false }) > 0;
  const subnetIds = r.subnets.map(s => s.subnetId);
  return new emr.CfnCluster(scope, 'Resource', {
    name: props.clusterName ?? Names.uniqueResourceName(scope, { maxLength: 256 }),
    releaseLabel: p.release,
    applications: p.appNames.map(name => ({ name })),
    configurations: renderConfigurations(p.configurations),
    serviceRole: r.serviceRole.roleArn,
    jobFlowRole: r.instanceProfile.ref,
    autoScalingRole: r.autoScalingRole?.roleArn,
    securityConfiguration: r.securityConfiguration.securityConfigurationName,
    logUri: r.logBucket.s3UrlForObject(p.logPrefix),
    logEncryptionKmsKeyId: r.encryptionKey.keyArn,
    kerberosAttributes: props.kerberos ? {
      realm: props.kerberos.realm,
      kdcAdminPassword: props.kerberos.kdcAdminPassword.unsafeUnwrap(),
    } : undefined,
    autoTerminationPolicy: autoTermination ? { idleTimeout: idle.toSeconds({ integral: false }) } : undefined,
    managedScalingPolicy: ms ? {
      computeLimits: {
        unitType: fleets ? 'InstanceFleetUnits' : ms.unit ?? EmrScalingUnit.INSTANCES,
        minimumCapacityUnits: ms.minimumCapacityUnits,
        maximumCapacityUnits: ms.maximumCapacityUnits,
        maximumCoreCapacityUnits: ms.maximumCoreCapacityUnits,
        maximumOnDemandCapacityUnits: ms.maximumOnDemandCapacityUnits,
      },
    } : undefined,
    bootstrapActions: p.bootstrapActions.length > 0 ? p.bootstrapActions.map(b => ({
      name: b.name,
      scriptBootstrapAction: { path: b.scriptUri, args: b.args },
    })) : undefined,
    // A transient cluster runs its steps as part of the cluster; a long-running one gets them as
    // AWS::EMR::Step resources (renderSteps), since steps of AWS::EMR::Cluster need replacement.
    steps: !p.keepAlive && p.steps.length > 0 ? p.steps.map(s => ({
      name: s.name,
      actionOnFailure: s.actionOnFailure,
      hadoopJarStep: { jar: 'command-runner.jar', args: s.args },
    })) : undefined,
    instances: {
      ...renderInstances(p.capacity),
      ec2SubnetId: fleets ? undefined : subnetIds[0],
      ec2SubnetIds: fleets ? subnetIds : undefined,
      emrManagedMasterSecurityGroup: sgs.primary.securityGroupId,
      emrManagedSlaveSecurityGroup: sgs.coreAndTask.securityGroupId,
      serviceAccessSecurityGroup: sgs.serviceAccess.securityGroupId,
      additionalMasterSecurityGroups: r.additionalSecurityGroup ? [r.additionalSecurityGroup.securityGroupId] : undefined,
      additionalSlaveSecurityGroups: r.additionalSecurityGroup ? [r.additionalSecurityGroup.securityGroupId] : undefined,
      terminationProtected: props.terminationProtection ?? false,
      keepJobFlowAliveWhenNoSteps: p.keepAlive,
      ec2KeyName: props.ec2KeyName,
    },
  });
}

/**
 * One `AWS::EMR::Step` per step, named after it (a renamed step is a new step), each submitted after the
 * one before it so that they queue on the cluster in the order given.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-emr-step.html
 */
export function renderSteps(scope: Construct, clusterId: string, steps: EmrStep[]): emr.CfnStep[] {
  const ids = new Set<string>();
  const out: emr.CfnStep[] = [];
  steps.forEach((s, i) => {
    // Repeated names are reported at synth; the index keeps the construct ids apart until then.
    let id = `Step-${s.name.replace(/\//g, '-')}`;
    if (ids.has(id)) id = `${id}-${i}`;
    ids.add(id);
    const step = new emr.CfnStep(scope, id, {
      jobFlowId: clusterId,
      name: s.name,
      actionOnFailure: s.actionOnFailure,
      hadoopJarStep: { jar: 'command-runner.jar', args: s.args },
    });
    if (out.length > 0) step.node.addDependency(out[out.length - 1]);
    out.push(step);
  });
  return out;
}
