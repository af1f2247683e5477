import { Duration } from 'aws-cdk-lib';

/** Unit of managed-scaling limits for instance groups (instance fleets always use fleet units). */
export enum EmrScalingUnit {
  /** Count instances. */
  INSTANCES = 'Instances',
  /** Count vCPUs. */
  VCPU = 'VCPU',
}

/**
 * EMR managed scaling: EMR resizes core and task capacity between these limits. For instance fleets
 * the limits are in fleet units (the instance types' weighted capacities).
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-scaling.html
 */
export interface EmrManagedScaling {
  /** Lower limit of core plus task capacity. */
  readonly minimumCapacityUnits: number;
  /** Upper limit of core plus task capacity; at least `minimumCapacityUnits`. */
  readonly maximumCapacityUnits: number;
  /**
   * Upper limit of core capacity (the rest goes to task nodes); at most `maximumCapacityUnits`.
   * @default - core may use all of `maximumCapacityUnits`
   */
  readonly maximumCoreCapacityUnits?: number;
  /**
   * Upper limit of On-Demand capacity (the rest is Spot); at most `maximumCapacityUnits`.
   * @default - On-Demand may use all of `maximumCapacityUnits`
   */
  readonly maximumOnDemandCapacityUnits?: number;
  /**
   * Unit of the limits, for instance groups only.
   * @default EmrScalingUnit.INSTANCES for instance groups; fleet units for instance fleets
   */
  readonly unit?: EmrScalingUnit;
}

/**
 * Automatic scaling of one task instance group on the `YARNMemoryAvailablePercentage` metric.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-automatic-scaling.html
 */
export interface EmrAutomaticScaling {
  /** Fewest instances in the group. */
  readonly minCapacity: number;
  /** Most instances in the group; at least `minCapacity`. */
  readonly maxCapacity: number;
  /**
   * Add instances when available YARN memory falls below this percentage.
   * @default 15
   */
  readonly scaleOutBelowYarnMemoryAvailablePercent?: number;
  /**
   * Remove instances when available YARN memory rises above this percentage; above the scale-out one.
   * @default 75
   */
  readonly scaleInAboveYarnMemoryAvailablePercent?: number;
  /**
   * Instances added or removed per scaling activity.
   * @default 1
   */
  readonly scalingAdjustment?: number;
  /**
   * Wait after a scaling activity before the next.
   * @default Duration.minutes(5)
   */
  readonly cooldown?: Duration;
}
