import { Duration, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

import { EmrConfiguration } from './release';
import { EmrAutomaticScaling } from './scaling';

/** EBS volume types EMR can attach to cluster nodes. */
export enum EmrEbsVolumeType {
  /** General purpose SSD, with baseline IOPS and throughput independent of size. */
  GP3 = 'gp3',
  /** Previous-generation general purpose SSD. */
  GP2 = 'gp2',
  /** Provisioned IOPS SSD. */
  IO1 = 'io1',
  /** Throughput-optimized HDD. */
  ST1 = 'st1',
  /** Cold HDD. */
  SC1 = 'sc1',
}

/**
 * EBS volumes attached to every instance of a group or instance type. EMR encrypts them with the
 * security configuration's local-disk key.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-storage.html
 */
export interface EmrEbsVolume {
  /**
   * Size of each volume, in whole GiB: at least 1 GiB for gp2/gp3/io1, 125 GiB for st1/sc1.
   * @see https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html
   */
  readonly size: Size;
  /**
   * Volume type.
   * @default EmrEbsVolumeType.GP3
   */
  readonly volumeType?: EmrEbsVolumeType;
  /**
   * Number of such volumes per instance.
   * @default 1
   */
  readonly volumesPerInstance?: number;
  /**
   * Provisioned IOPS (gp3: at least 3000; io1: required).
   * @default - the volume type's baseline
   */
  readonly iops?: number;
  /**
   * Throughput of a gp3 volume, in MiB/s (at least 125).
   * @default - the gp3 baseline of 125 MiB/s
   */
  readonly throughputMibPerSecond?: number;
}

/**
 * The most a Spot Instance of a task instance group may cost per hour. The instance group API has a
 * fixed price in USD only (`BidPrice`); a percentage of the On-Demand price needs instance fleets
 * (`EmrInstanceFleetSpotPrice`). Reserved instances and savings plans do not apply to Spot.
 *
 * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceGroupConfig.html
 */
export class EmrInstanceGroupSpotPrice {
  /** Pay at most the On-Demand price (what EMR does when no bid is given). */
  public static onDemandPrice(): EmrInstanceGroupSpotPrice {
    return new EmrInstanceGroupSpotPrice(undefined);
  }

  /**
   * A fixed maximum in US dollars per instance-hour.
   * @param priceUsd the price, above 0
   */
  public static fixedUsd(priceUsd: number): EmrInstanceGroupSpotPrice {
    return new EmrInstanceGroupSpotPrice(priceUsd);
  }

  /** The fixed price in USD, when given as one. */
  public readonly priceUsd?: number;
  // A private member makes this class and EmrInstanceFleetSpotPrice distinct types in TypeScript too, as
  // they are in every language jsii targets: a fleet's percentage cannot stand where a group's price goes.
  private readonly shown: string;

  private constructor(priceUsd: number | undefined) {
    this.priceUsd = priceUsd;
    this.shown = priceUsd === undefined ? 'the On-Demand price' : `${priceUsd} USD per hour`;
  }

  /** The price in words. */
  public toString(): string {
    return this.shown;
  }
}

/**
 * The most a Spot Instance of one instance type of a fleet may cost per hour: a fixed price in USD
 * (`BidPrice`) or a percentage of the On-Demand price (`BidPriceAsPercentageOfOnDemandPrice`), never
 * both. Reserved instances and savings plans do not apply to Spot.
 *
 * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_InstanceTypeConfig.html
 */
export class EmrInstanceFleetSpotPrice {
  /** Pay at most the On-Demand price (EMR's default of 100 percent). */
  public static onDemandPrice(): EmrInstanceFleetSpotPrice {
    return new EmrInstanceFleetSpotPrice(undefined, undefined);
  }

  /**
   * A fixed maximum in US dollars per instance-hour.
   * @param priceUsd the price, above 0
   */
  public static fixedUsd(priceUsd: number): EmrInstanceFleetSpotPrice {
    return new EmrInstanceFleetSpotPrice(priceUsd, undefined);
  }

  /**
   * A maximum as a percentage of the On-Demand price of the instance type.
   * @param percent above 0 and at most 1000 (Spot prices stay under the On-Demand price, so more than 100 acts as 100)
   */
  public static percentageOfOnDemand(percent: number): EmrInstanceFleetSpotPrice {
    return new EmrInstanceFleetSpotPrice(undefined, percent);
  }

  /** The fixed price in USD, when given as one. */
  public readonly priceUsd?: number;
  /** The percentage of the On-Demand price, when given as one. */
  public readonly percentOfOnDemand?: number;

  // Private: keeps this class and EmrInstanceGroupSpotPrice distinct types in TypeScript (see there).
  private readonly shown: string;

  private constructor(priceUsd: number | undefined, percentOfOnDemand: number | undefined) {
    this.priceUsd = priceUsd;
    this.percentOfOnDemand = percentOfOnDemand;
    this.shown = priceUsd !== undefined ? `${priceUsd} USD per hour`
      : percentOfOnDemand !== undefined ? `${percentOfOnDemand}% of the On-Demand price` : 'the On-Demand price';
  }

  /** The price in words. */
  public toString(): string {
    return this.shown;
  }
}

/** Purchasing option of a task instance group. */
export enum EmrMarket {
  /** On-Demand: the price reserved instances and savings plans discount. */
  ON_DEMAND = 'ON_DEMAND',
  /** Spot: spare capacity at a discount that EC2 can reclaim with two minutes' notice. */
  SPOT = 'SPOT',
}

/** An instance group of the primary (master) or core nodes. These always run On-Demand. */
export interface EmrInstanceGroupOptions {
  /** EC2 instance type of the group. */
  readonly instanceType: ec2.InstanceType;
  /**
   * Number of instances. Primary: 1, or 3 for a multi-primary (high-availability) cluster. Core: at least 1.
   * @default - 1 for the primary group and each task group, 2 for the core group
   */
  readonly instanceCount?: number;
  /**
   * EBS volumes per instance.
   * @default - EMR's default storage for the instance type
   */
  readonly ebsVolumes?: EmrEbsVolume[];
  /**
   * Configurations that apply to this group only.
   * @default - the cluster's configurations
   */
  readonly configurations?: EmrConfiguration[];
}

/** A task instance group: nodes that run tasks and store no HDFS data, so losing one loses no data. */
export interface EmrTaskInstanceGroupOptions extends EmrInstanceGroupOptions {
  /**
   * Name of the group, unique in the cluster.
   * @default 'Task<n>' (1-based position)
   */
  readonly name?: string;
  /**
   * Purchasing option.
   * @default EmrMarket.SPOT
   */
  readonly market?: EmrMarket;
  /**
   * Maximum Spot price, for a group of market SPOT.
   * @default EmrInstanceGroupSpotPrice.onDemandPrice()
   */
  readonly spotPrice?: EmrInstanceGroupSpotPrice;
  /**
   * Automatic scaling of this group on YARN memory. Cannot be combined with managed scaling.
   * @default - the group keeps its instance count
   */
  readonly automaticScaling?: EmrAutomaticScaling;
}

/** Uniform instance groups: one instance type per group, primary and core On-Demand, tasks Spot. */
export interface EmrInstanceGroupsProps {
  /** The primary (master) group. */
  readonly primary: EmrInstanceGroupOptions;
  /** The core group: HDFS and the YARN application masters live here, so it runs On-Demand. */
  readonly core: EmrInstanceGroupOptions;
  /**
   * Task groups (up to 48).
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-uniform-instance-group.html
   * @default - no task groups
   */
  readonly tasks?: EmrTaskInstanceGroupOptions[];
}

/** One instance type a fleet may launch. */
export interface EmrFleetInstanceType {
  /** EC2 instance type. */
  readonly instanceType: ec2.InstanceType;
  /**
   * Units of the fleet's target capacity one instance of this type provides. Must be 1 in the primary fleet.
   * @default 1
   */
  readonly weightedCapacity?: number;
  /**
   * Maximum Spot price for this type.
   * @default EmrInstanceFleetSpotPrice.onDemandPrice()
   */
  readonly spotPrice?: EmrInstanceFleetSpotPrice;
  /**
   * EBS volumes per instance.
   * @default - EMR's default storage for the instance type
   */
  readonly ebsVolumes?: EmrEbsVolume[];
  /**
   * Priority for the `prioritized` On-Demand and `capacity-optimized-prioritized` Spot strategies
   * (0 is the highest).
   * @default - no priority
   */
  readonly priority?: number;
}

/** One instance fleet: a target capacity filled from several instance types. */
export interface EmrInstanceFleetOptions {
  /**
   * Instance types the fleet may launch: up to 30 with an allocation strategy (always set by this construct).
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-instance-fleet.html
   */
  readonly instanceTypes: EmrFleetInstanceType[];
  /**
   * On-Demand capacity in units (the instance types' weighted capacities).
   * @default - 1 for the primary fleet, 2 for the core fleet, 0 for the task fleet
   */
  readonly targetOnDemandCapacity?: number;
  /**
   * Spot capacity in units.
   * @default - 0 for the primary and core fleets, 4 for the task fleet
   */
  readonly targetSpotCapacity?: number;
}

/** Allocation strategies for the On-Demand part of a fleet. */
export enum EmrOnDemandAllocationStrategy {
  /** Launch the cheapest instance types first. */
  LOWEST_PRICE = 'lowest-price',
  /** Launch by the `priority` of each instance type. */
  PRIORITIZED = 'prioritized',
}

/** Allocation strategies for the Spot part of a fleet. */
export enum EmrSpotAllocationStrategy {
  /** Pools with the most spare capacity and the lowest price: fewest interruptions per dollar (AWS recommended). */
  PRICE_CAPACITY_OPTIMIZED = 'price-capacity-optimized',
  /** Pools with the most spare capacity. */
  CAPACITY_OPTIMIZED = 'capacity-optimized',
  /** Capacity-optimized, honouring each instance type's `priority`. */
  CAPACITY_OPTIMIZED_PRIORITIZED = 'capacity-optimized-prioritized',
  /** The cheapest pools, whatever their interruption rate. */
  LOWEST_PRICE = 'lowest-price',
  /** Spread across all pools. */
  DIVERSIFIED = 'diversified',
}

/** What EMR does when Spot capacity is not fulfilled within the Spot timeout. */
export enum EmrSpotTimeoutAction {
  /** Fill the missing capacity with On-Demand instances. */
  SWITCH_TO_ON_DEMAND = 'SWITCH_TO_ON_DEMAND',
  /** Give up and terminate the cluster. */
  TERMINATE_CLUSTER = 'TERMINATE_CLUSTER',
}

/**
 * Whether On-Demand fleet capacity uses EC2 capacity reservations. Reservations guarantee capacity;
 * reserved instances and savings plans, a billing matter, discount any matching On-Demand usage.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/on-demand-capacity-reservations.html
 */
export class EmrCapacityReservation {
  /** Use any open capacity reservation whose attributes match, then regular On-Demand. */
  public static open(): EmrCapacityReservation {
    return new EmrCapacityReservation('open');
  }

  /** Never use capacity reservations. */
  public static none(): EmrCapacityReservation {
    return new EmrCapacityReservation('none');
  }

  /**
   * Use the targeted capacity reservations of a resource group first, then regular On-Demand.
   * @param resourceGroupArn ARN of an AWS Resource Groups group of capacity reservations
   */
  public static targeted(resourceGroupArn: string): EmrCapacityReservation {
    return new EmrCapacityReservation(undefined, resourceGroupArn);
  }

  private constructor(
    /** `open` or `none`, for the open/none preferences. */
    public readonly preference?: string,
    /** The resource group ARN of a targeted reservation. */
    public readonly resourceGroupArn?: string,
  ) {}
}

/** Instance fleets: each node type is filled from several instance types, On-Demand and Spot. */
export interface EmrInstanceFleetsProps {
  /** The primary (master) fleet: a target of 1, or 3 for high availability, On-Demand by default. */
  readonly primary: EmrInstanceFleetOptions;
  /** The core fleet, On-Demand by default. */
  readonly core: EmrInstanceFleetOptions;
  /**
   * The task fleet (at most one per cluster), Spot by default.
   * @default - no task fleet
   */
  readonly task?: EmrInstanceFleetOptions;
  /**
   * On-Demand allocation strategy.
   * @default EmrOnDemandAllocationStrategy.LOWEST_PRICE
   */
  readonly onDemandAllocationStrategy?: EmrOnDemandAllocationStrategy;
  /**
   * Capacity reservation use of On-Demand capacity.
   * @default EmrCapacityReservation.open()
   */
  readonly capacityReservation?: EmrCapacityReservation;
  /**
   * Spot allocation strategy.
   * @default EmrSpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED
   */
  readonly spotAllocationStrategy?: EmrSpotAllocationStrategy;
  /**
   * How long EMR waits for Spot capacity at launch (5 to 1440 minutes).
   * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_SpotProvisioningSpecification.html
   * @default Duration.minutes(20)
   */
  readonly spotTimeout?: Duration;
  /**
   * What EMR does when the Spot timeout expires.
   * @default EmrSpotTimeoutAction.SWITCH_TO_ON_DEMAND
   */
  readonly spotTimeoutAction?: EmrSpotTimeoutAction;
}

/**
 * How the cluster's nodes are provisioned: uniform instance groups or instance fleets. EMR does not let
 * the two coexist in one cluster, so each has its own factory.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-instance-group-configuration.html
 */
export class EmrCapacity {
  /** Uniform instance groups. */
  public static instanceGroups(props: EmrInstanceGroupsProps): EmrCapacity {
    return new EmrCapacity(props, undefined);
  }

  /** Instance fleets. */
  public static instanceFleets(props: EmrInstanceFleetsProps): EmrCapacity {
    return new EmrCapacity(undefined, props);
  }

  private constructor(
    /** The instance groups, when provisioned as groups. */
    public readonly groups?: EmrInstanceGroupsProps,
    /** The instance fleets, when provisioned as fleets. */
    public readonly fleets?: EmrInstanceFleetsProps,
  ) {}
}
