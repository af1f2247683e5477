import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';

import { glueDatabaseName } from '../../core/glue-database-name';
import { EmrCapacity } from '../capacity';
import type { EmrClusterProps } from '../cluster-props';
import { EmrDataLocation } from '../data-location';
import { EmrApplication, EmrReleaseLabel } from '../release';
import { EmrBucketKey } from '../security-configuration';
import { mergeGlueConfigurations } from './configurations';
import { ResolvedClusterProps } from './rules';

const DEFAULT_APPLICATIONS = [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.HIVE];

/** Every default of `EmrClusterProps` resolved once, as the rules and the resources read them. */
export function resolveProps(props: EmrClusterProps): ResolvedClusterProps {
  const appNames = (props.applications ?? DEFAULT_APPLICATIONS).map(a => a.name);
  const glueDataCatalog = props.glueDataCatalog ?? true;
  const { configurations, conflicts } = mergeGlueConfigurations(props.configurations ?? [], glueDataCatalog ? appNames : []);
  return {
    clusterName: props.clusterName,
    release: (props.releaseLabel ?? EmrReleaseLabel.EMR_7_13_0).label,
    appNames,
    configurations,
    configurationConflicts: conflicts,
    capacity: props.capacity ?? EmrCapacity.instanceGroups({
      primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
      core: { instanceType: new ec2.InstanceType('m7g.xlarge') },
      tasks: [{ instanceType: new ec2.InstanceType('m7g.xlarge'), instanceCount: 2 }],
    }),
    managedScaling: props.managedScaling,
    // A protected cluster is meant to stay up: it gets no default idle timeout.
    idleTimeout: props.idleTimeout ?? (props.terminationProtection ? Duration.seconds(0) : Duration.hours(1)),
    keepAlive: props.keepAliveWhenNoSteps ?? true,
    steps: props.steps ?? [],
    bootstrapActions: props.bootstrapActions ?? [],
    logPrefix: props.logPrefix ?? 'emr-logs/',
    dataLocations: props.dataLocations ?? [],
    glueDataCatalog,
    glueDatabases: (props.glueDatabases ?? []).map(glueDatabaseName),
    glueAllDatabases: props.glueAllDatabases ?? false,
    glueDeletes: props.glueDeletes ?? false,
    requireImdsV2: props.requireImdsV2 ?? true,
    kerberos: props.kerberos !== undefined,
    ec2KeyName: props.ec2KeyName,
    newVpcZones: props.network?._config.kind === 'newVpc' ? props.network._config.props.availabilityZones : undefined,
    alarmThresholds: props.alarmThresholds ?? {},
  };
}

/** The data buckets with a key of their own, once each: EMRFS encrypts what it writes there with that key. */
export function bucketKeys(locations: EmrDataLocation[], clusterKey: kms.IKey): EmrBucketKey[] {
  const out: EmrBucketKey[] = [];
  for (const l of locations) {
    const key = l.bucket.encryptionKey;
    if (key && key !== clusterKey && !out.some(b => b.bucket === l.bucket)) out.push({ bucket: l.bucket, key });
  }
  return out;
}
