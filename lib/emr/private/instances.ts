import { Duration, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as emr from 'aws-cdk-lib/aws-emr';

import { PropsValidator, Shown } from '../../core/validation';
import {
  EmrCapacity, EmrCapacityReservation, EmrEbsVolume, EmrEbsVolumeType, EmrFleetInstanceType, EmrInstanceFleetOptions,
  EmrInstanceFleetSpotPrice, EmrInstanceFleetsProps, EmrInstanceGroupOptions, EmrMarket, EmrOnDemandAllocationStrategy,
  EmrSpotAllocationStrategy, EmrSpotTimeoutAction, EmrTaskInstanceGroupOptions,
} from '../capacity';
import { EmrConfiguration } from '../release';
import { EmrAutomaticScaling } from '../scaling';
import { releaseAtLeast } from './release';

/** The capacity-dependent part of `JobFlowInstancesConfig`. */
export interface RenderedInstances {
  readonly masterInstanceGroup?: emr.CfnCluster.InstanceGroupConfigProperty;
  readonly coreInstanceGroup?: emr.CfnCluster.InstanceGroupConfigProperty;
  readonly taskInstanceGroups?: emr.CfnCluster.InstanceGroupConfigProperty[];
  readonly masterInstanceFleet?: emr.CfnCluster.InstanceFleetConfigProperty;
  readonly coreInstanceFleet?: emr.CfnCluster.InstanceFleetConfigProperty;
  readonly taskInstanceFleets?: emr.CfnCluster.InstanceFleetConfigProperty[];
}

export const DEFAULT_SPOT_TIMEOUT = Duration.minutes(20);

const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);

export function renderConfigurations(configs: EmrConfiguration[] | undefined): emr.CfnCluster.ConfigurationProperty[] | undefined {
  if (!configs || configs.length === 0) return undefined;
  return configs.map(c => ({
    classification: c.classification,
    configurationProperties: c.properties,
    configurations: renderConfigurations(c.configurations),
  }));
}

function renderEbs(volumes: EmrEbsVolume[] | undefined): emr.CfnCluster.EbsConfigurationProperty | undefined {
  if (!volumes || volumes.length === 0) return undefined;
  return {
    ebsOptimized: true,
    ebsBlockDeviceConfigs: volumes.map(vol => ({
      volumesPerInstance: vol.volumesPerInstance ?? 1,
      volumeSpecification: {
        sizeInGb: vol.size.toGibibytes({ rounding: SizeRoundingBehavior.NONE }),
        volumeType: vol.volumeType ?? EmrEbsVolumeType.GP3,
        iops: vol.iops,
        throughput: vol.throughputMibPerSecond,
      },
    })),
  };
}

function renderAutoScaling(a: EmrAutomaticScaling | undefined): emr.CfnCluster.AutoScalingPolicyProperty | undefined {
  if (!a) return undefined;
  const adjustment = a.scalingAdjustment ?? 1;
  const coolDown = (a.cooldown ?? Duration.minutes(5)).toSeconds({ integral: false });
  const rule = (name: string, op: string, threshold: number, delta: number): emr.CfnCluster.ScalingRuleProperty => ({
    name,
    description: `${delta > 0 ? 'Add' : 'Remove'} ${Math.abs(delta)} instance(s) when YARNMemoryAvailablePercentage is ${op === 'LESS_THAN' ? 'below' : 'above'} ${threshold}%`,
    action: { simpleScalingPolicyConfiguration: { adjustmentType: 'CHANGE_IN_CAPACITY', scalingAdjustment: delta, coolDown } },
    trigger: {
      cloudWatchAlarmDefinition: {
        comparisonOperator: op,
        evaluationPeriods: 1,
        metricName: 'YARNMemoryAvailablePercentage',
        namespace: 'AWS/ElasticMapReduce',
        period: 300,
        statistic: 'AVERAGE',
        threshold,
        unit: 'PERCENT',
        dimensions: [{ key: 'JobFlowId', value: '${emr.clusterId}' }],
      },
    },
  });
  return {
    constraints: { minCapacity: a.minCapacity, maxCapacity: a.maxCapacity },
    rules: [
      rule('ScaleOutOnYarnMemory', 'LESS_THAN', a.scaleOutBelowYarnMemoryAvailablePercent ?? 15, adjustment),
      rule('ScaleInOnYarnMemory', 'GREATER_THAN', a.scaleInAboveYarnMemoryAvailablePercent ?? 75, -adjustment),
    ],
  };
}

function group(name: string, o: EmrInstanceGroupOptions, count: number): emr.CfnCluster.InstanceGroupConfigProperty {
  return {
    name,
    instanceType: o.instanceType.toString(),
    instanceCount: count,
    market: EmrMarket.ON_DEMAND,
    ebsConfiguration: renderEbs(o.ebsVolumes),
    configurations: renderConfigurations(o.configurations),
  };
}

function taskGroup(o: EmrTaskInstanceGroupOptions, i: number): emr.CfnCluster.InstanceGroupConfigProperty {
  const market = o.market ?? EmrMarket.SPOT;
  return {
    ...group(o.name ?? `Task${i + 1}`, o, o.instanceCount ?? 1),
    market,
    bidPrice: market === EmrMarket.SPOT && o.spotPrice?.priceUsd !== undefined ? String(o.spotPrice.priceUsd) : undefined,
    autoScalingPolicy: renderAutoScaling(o.automaticScaling),
  };
}

function fleet(name: string, o: EmrInstanceFleetOptions, onDemand: number, spot: number, props: EmrInstanceFleetsProps):
emr.CfnCluster.InstanceFleetConfigProperty {
  const reservation = props.capacityReservation ?? EmrCapacityReservation.open();
  return {
    name,
    targetOnDemandCapacity: onDemand,
    targetSpotCapacity: spot,
    instanceTypeConfigs: o.instanceTypes.map(t => ({
      instanceType: t.instanceType.toString(),
      weightedCapacity: t.weightedCapacity ?? 1,
      bidPrice: t.spotPrice?.priceUsd !== undefined ? String(t.spotPrice.priceUsd) : undefined,
      bidPriceAsPercentageOfOnDemandPrice: t.spotPrice?.percentOfOnDemand,
      ebsConfiguration: renderEbs(t.ebsVolumes),
      priority: t.priority,
    })),
    launchSpecifications: {
      onDemandSpecification: onDemand === 0 ? undefined : {
        allocationStrategy: props.onDemandAllocationStrategy ?? EmrOnDemandAllocationStrategy.LOWEST_PRICE,
        capacityReservationOptions: reservation.resourceGroupArn
          ? { usageStrategy: 'use-capacity-reservations-first', capacityReservationResourceGroupArn: reservation.resourceGroupArn }
          : { capacityReservationPreference: reservation.preference },
      },
      spotSpecification: spot === 0 ? undefined : {
        allocationStrategy: props.spotAllocationStrategy ?? EmrSpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED,
        timeoutAction: props.spotTimeoutAction ?? EmrSpotTimeoutAction.SWITCH_TO_ON_DEMAND,
        timeoutDurationMinutes: (props.spotTimeout ?? DEFAULT_SPOT_TIMEOUT).toMinutes({ integral: false }),
      },
    },
  };
}

/** The On-Demand and Spot targets of each fleet after defaults. */
export function fleetTargets(f: EmrInstanceFleetsProps) {
  return {
    primary: [f.primary.targetOnDemandCapacity ?? 1, f.primary.targetSpotCapacity ?? 0] as const,
    core: [f.core.targetOnDemandCapacity ?? 2, f.core.targetSpotCapacity ?? 0] as const,
    task: f.task ? [f.task.targetOnDemandCapacity ?? 0, f.task.targetSpotCapacity ?? 4] as const : undefined,
  };
}

export function renderInstances(capacity: EmrCapacity): RenderedInstances {
  if (capacity.groups) {
    const g = capacity.groups;
    return {
      masterInstanceGroup: group('Primary', g.primary, g.primary.instanceCount ?? 1),
      coreInstanceGroup: group('Core', g.core, g.core.instanceCount ?? 2),
      taskInstanceGroups: g.tasks && g.tasks.length > 0 ? g.tasks.map(taskGroup) : undefined,
    };
  }
  const f = capacity.fleets!;
  const t = fleetTargets(f);
  return {
    masterInstanceFleet: fleet('Primary', f.primary, t.primary[0], t.primary[1], f),
    coreInstanceFleet: fleet('Core', f.core, t.core[0], t.core[1], f),
    taskInstanceFleets: f.task && t.task ? [fleet('Task', f.task, t.task[0], t.task[1], f)] : undefined,
  };
}

/** Whether the primary node count is 3 (multi-primary / high availability). */
export function primaryCount(capacity: EmrCapacity): number {
  if (capacity.groups) return capacity.groups.primary.instanceCount ?? 1;
  const t = fleetTargets(capacity.fleets!).primary;
  return t[0] + t[1];
}

/** Every task group that scales automatically. */
export function hasAutomaticScaling(capacity: EmrCapacity): boolean {
  return (capacity.groups?.tasks ?? []).some(t => t.automaticScaling !== undefined);
}

function validateEbs(v: PropsValidator, path: string, volumes: EmrEbsVolume[] | undefined): void {
  (volumes ?? []).forEach((vol, i) => {
    const p = `${path}.ebsVolumes[${i}]`;
    const type = vol.volumeType ?? EmrEbsVolumeType.GP3;
    // EBS minimum sizes per type: SSD 1 GiB, HDD (st1, sc1) 125 GiB. Maximums are left to EBS, which has
    // raised them (gp3 now goes past 16 TiB).
    // https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html
    if (!vol.size.isUnresolved()) {
      const gib = vol.size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
      const min = type === EmrEbsVolumeType.ST1 || type === EmrEbsVolumeType.SC1 ? 125 : 1;
      v.check(Number.isInteger(gib) && gib >= min, `${p}.size`, new Shown(`${gib} GiB`),
        `must be a whole number of GiB, at least ${min} for ${type}`);
    }
    v.wholeNumber(`${p}.volumesPerInstance`, vol.volumesPerInstance, 1);
    // gp3: at least its baseline of 3000 IOPS and 125 MiB/s; only gp3 takes a throughput; io1 needs IOPS.
    // https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html#gp3-ebs-volume-type
    if (type === EmrEbsVolumeType.GP3) {
      v.wholeNumber(`${p}.iops`, vol.iops, 3000);
      v.wholeNumber(`${p}.throughputMibPerSecond`, vol.throughputMibPerSecond, 125);
    } else {
      v.requires(`${p}.throughputMibPerSecond`, vol.throughputMibPerSecond !== undefined, false, 'volumeType gp3');
    }
    if (type === EmrEbsVolumeType.IO1) {
      v.check(vol.iops !== undefined, `${p}.iops`, undefined, 'must be set for io1 volumes');
      // io1: 100 to 64,000 IOPS, at most 50 IOPS per GiB.
      // https://docs.aws.amazon.com/ebs/latest/userguide/provisioned-iops.html
      if (known(vol.iops)) {
        v.check(Number.isInteger(vol.iops) && vol.iops >= 100 && vol.iops <= 64000, `${p}.iops`, vol.iops, 'must be a whole number between 100 and 64000 for io1');
        if (!vol.size.isUnresolved()) {
          const gib = vol.size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
          v.check(vol.iops <= 50 * gib, `${p}.iops`, vol.iops, `must be at most 50 per GiB for io1 (${50 * gib} for ${gib} GiB)`);
        }
      }
    }
  });
}

function validateUsdPrice(v: PropsValidator, path: string, priceUsd: number | undefined): void {
  // BidPrice, of an instance group or of a fleet's instance type: a price in USD; a Spot Instance is never free.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceGroupConfig.html
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceTypeConfig.html
  if (known(priceUsd)) {
    v.check(Number.isFinite(priceUsd) && priceUsd > 0, path, priceUsd, 'must be a positive price in USD per hour');
  }
}

function validateFleetSpotPrice(v: PropsValidator, path: string, price: EmrInstanceFleetSpotPrice | undefined): void {
  if (!price) return;
  validateUsdPrice(v, path, price.priceUsd);
  // BidPriceAsPercentageOfOnDemandPrice: a non-negative number, "between 0 and 1000" in earlier editions of the
  // API reference; a bid of 0 percent never gets capacity, so above 0.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceTypeConfig.html
  const percent = price.percentOfOnDemand;
  if (known(percent)) {
    v.check(Number.isFinite(percent) && percent > 0 && percent <= 1000, path, new Shown(`${percent}% of On-Demand`),
      'must be above 0 and at most 1000 percent of the On-Demand price');
  }
}

/** Checks the capacity against EMR's limits; `release` is the release label (may be a token). */
export function validateCapacity(v: PropsValidator, capacity: EmrCapacity, release: string): void {
  if (capacity.groups) {
    const g = capacity.groups;
    const masters = g.primary.instanceCount ?? 1;
    // Multiple primary nodes: exactly 3, from EMR 5.23.0.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-ha.html
    if (known(masters)) {
      v.check(masters === 1 || masters === 3, 'capacity.primary.instanceCount', masters,
        'must be 1, or 3 for a cluster with multiple primary nodes');
      if (masters === 3 && !Token.isUnresolved(release)) {
        v.check(releaseAtLeast(release, { 5: '5.23.0' }), 'capacity.primary.instanceCount', masters,
          `needs release emr-5.23.0 or later for multiple primary nodes (releaseLabel is '${release}')`);
      }
    }
    v.wholeNumber('capacity.core.instanceCount', g.core.instanceCount, 1);
    validateEbs(v, 'capacity.primary', g.primary.ebsVolumes);
    validateEbs(v, 'capacity.core', g.core.ebsVolumes);
    // A cluster has at most 50 instance groups: one primary, one core, up to 48 task groups.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-uniform-instance-group.html
    v.countInRange('capacity.tasks', g.tasks, 0, 48);
    const names = new Set<string>(['Primary', 'Core']);
    (g.tasks ?? []).forEach((t, i) => {
      const p = `capacity.tasks[${i}]`;
      const name = t.name ?? `Task${i + 1}`;
      v.check(!names.has(name), `${p}.name`, name, 'must be unique among the instance groups');
      // Instance group names: at most 256 characters. https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceGroupConfig.html
      v.maxLength(`${p}.name`, name, 256);
      names.add(name);
      v.wholeNumber(`${p}.instanceCount`, t.instanceCount, 0);
      validateEbs(v, p, t.ebsVolumes);
      validateUsdPrice(v, `${p}.spotPrice`, t.spotPrice?.priceUsd);
      v.requires(`${p}.spotPrice`, t.spotPrice !== undefined, (t.market ?? EmrMarket.SPOT) === EmrMarket.SPOT, 'market SPOT');
      const a = t.automaticScaling;
      if (a) {
        // Automatic scaling constraints: MinCapacity <= MaxCapacity.
        // https://docs.aws.amazon.com/emr/latest/APIReference/API_ScalingConstraints.html
        v.wholeNumber(`${p}.automaticScaling.minCapacity`, a.minCapacity, 0);
        v.wholeNumber(`${p}.automaticScaling.maxCapacity`, a.maxCapacity, 0);
        if (known(a.minCapacity) && known(a.maxCapacity)) {
          v.check(a.maxCapacity >= a.minCapacity, `${p}.automaticScaling.maxCapacity`, a.maxCapacity,
            `must be at least automaticScaling.minCapacity (${a.minCapacity})`);
        }
        v.inRange(`${p}.automaticScaling.scaleOutBelowYarnMemoryAvailablePercent`, a.scaleOutBelowYarnMemoryAvailablePercent, 0, 100, 'percent');
        v.inRange(`${p}.automaticScaling.scaleInAboveYarnMemoryAvailablePercent`, a.scaleInAboveYarnMemoryAvailablePercent, 0, 100, 'percent');
        const out = a.scaleOutBelowYarnMemoryAvailablePercent ?? 15;
        const inn = a.scaleInAboveYarnMemoryAvailablePercent ?? 75;
        if (known(out) && known(inn)) {
          v.check(inn > out, `${p}.automaticScaling.scaleInAboveYarnMemoryAvailablePercent`, inn,
            `must be above scaleOutBelowYarnMemoryAvailablePercent (${out}), or the group would scale out and in at once`);
        }
        v.wholeNumber(`${p}.automaticScaling.scalingAdjustment`, a.scalingAdjustment, 1);
        // CoolDown is a whole number of seconds. https://docs.aws.amazon.com/emr/latest/APIReference/API_SimpleScalingPolicyConfiguration.html
        if (a.cooldown && !a.cooldown.isUnresolved()) {
          const seconds = a.cooldown.toSeconds({ integral: false });
          v.check(Number.isInteger(seconds), `${p}.automaticScaling.cooldown`, new Shown(`${seconds} seconds`), 'must be a whole number of seconds');
        }
      }
    });
    return;
  }

  const f = capacity.fleets!;
  const t = fleetTargets(f);
  const masters = t.primary[0] + t.primary[1];
  // The primary fleet: one instance (or 3 for high availability), all On-Demand or all Spot, and every
  // instance type with weighted capacity 1.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceFleetConfig.html
  if (known(t.primary[0]) && known(t.primary[1])) {
    v.check((masters === 1 || masters === 3) && (t.primary[0] === 0 || t.primary[1] === 0), 'capacity.primary',
      new Shown(`targetOnDemandCapacity ${t.primary[0]}, targetSpotCapacity ${t.primary[1]}`),
      'must have one target of 1 (or 3 for high availability) and the other 0');
    // High availability with instance fleets: 5.36.1, 5.36.2, 6.8.1, 6.9.1, 6.10.1, 6.11.1, 6.12.0 and higher.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-ha.html
    if (masters === 3 && !Token.isUnresolved(release)) {
      const ok = releaseAtLeast(release, { 5: '5.36.1', 6: '6.12.0' }) || ['emr-6.8.1', 'emr-6.9.1', 'emr-6.10.1', 'emr-6.11.1'].includes(release);
      v.check(ok, 'capacity.primary', new Shown('3 primary nodes'),
        `needs release emr-5.36.1, emr-6.8.1 (patch releases), emr-6.12.0 or later for high availability with instance fleets (releaseLabel is '${release}')`);
    }
  }
  f.primary.instanceTypes.forEach((it, i) => {
    if (known(it.weightedCapacity)) {
      v.check(it.weightedCapacity === 1, `capacity.primary.instanceTypes[${i}].weightedCapacity`, it.weightedCapacity, 'must be 1 in the primary fleet');
    }
  });
  if (known(t.core[0]) && known(t.core[1])) {
    v.check(t.core[0] + t.core[1] >= 1, 'capacity.core', new Shown(`targetOnDemandCapacity ${t.core[0]}, targetSpotCapacity ${t.core[1]}`),
      'must have a total target capacity of at least 1');
  }
  const fleets: Array<[string, EmrInstanceFleetOptions]> = [['primary', f.primary], ['core', f.core]];
  if (f.task) fleets.push(['task', f.task]);
  for (const [name, opts] of fleets) {
    // Up to 30 instance types per fleet with an allocation strategy (5 without, which this construct never renders).
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-instance-fleet.html
    v.countInRange(`capacity.${name}.instanceTypes`, opts.instanceTypes, 1, 30);
    // Targets are whole units. https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceFleetConfig.html
    v.wholeNumber(`capacity.${name}.targetOnDemandCapacity`, opts.targetOnDemandCapacity, 0);
    v.wholeNumber(`capacity.${name}.targetSpotCapacity`, opts.targetSpotCapacity, 0);
    const seen = new Set<string>();
    opts.instanceTypes.forEach((it: EmrFleetInstanceType, i) => {
      const p = `capacity.${name}.instanceTypes[${i}]`;
      const type = it.instanceType.toString();
      v.check(!seen.has(type), `${p}.instanceType`, type, 'must appear only once in the fleet');
      seen.add(type);
      v.wholeNumber(`${p}.weightedCapacity`, it.weightedCapacity, 1);
      // Priority: a number of at least 0 (0 is the highest).
      // https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceTypeConfig.html
      v.atLeast(`${p}.priority`, it.priority, 0);
      validateFleetSpotPrice(v, `${p}.spotPrice`, it.spotPrice);
      validateEbs(v, p, it.ebsVolumes);
    });
  }
  if (f.task && t.task && known(t.task[0]) && known(t.task[1])) {
    v.check(t.task[0] + t.task[1] >= 1, 'capacity.task', new Shown(`targetOnDemandCapacity ${t.task[0]}, targetSpotCapacity ${t.task[1]}`),
      'must have a total target capacity of at least 1 (leave task unset for no task fleet)');
  }
  // Spot provisioning timeout: 5 to 1440 minutes.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_SpotProvisioningSpecification.html
  v.durationInRange('capacity.spotTimeout', f.spotTimeout, Duration.minutes(5), Duration.minutes(1440), 'minutes');
  if (f.spotTimeout && !f.spotTimeout.isUnresolved()) {
    v.check(Number.isInteger(f.spotTimeout.toMinutes({ integral: false })), 'capacity.spotTimeout', f.spotTimeout, 'must be a whole number of minutes');
  }
  const prioritized = f.onDemandAllocationStrategy === EmrOnDemandAllocationStrategy.PRIORITIZED
    || f.spotAllocationStrategy === EmrSpotAllocationStrategy.CAPACITY_OPTIMIZED_PRIORITIZED;
  const anyPriority = fleets.some(([, o]) => o.instanceTypes.some(it => it.priority !== undefined));
  // Priorities are read only by the prioritized strategies.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceTypeConfig.html
  v.requires('capacity.<fleet>.instanceTypes[].priority', anyPriority, prioritized,
    "onDemandAllocationStrategy 'prioritized' or spotAllocationStrategy 'capacity-optimized-prioritized'");
  const arn = f.capacityReservation?.resourceGroupArn;
  if (arn !== undefined) {
    v.matches('capacity.capacityReservation', arn, /^arn:[\w-]+:resource-groups:[\w-]+:\d{12}:group\/.+$/, 'the ARN of a resource group (arn:<partition>:resource-groups:<region>:<account>:group/<name>)');
  }
}

