/**
 * Thresholds of the alarms `OpenSearchCluster` creates. The defaults are the values of the AWS-recommended
 * alarms; raise one only when the domain's normal load sits near it.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cloudwatch-alarms.html
 */
export interface OpenSearchAlarmThresholds {
  /**
   * Data node CPU utilization (average over 15 minutes, three periods in a row), in percent (0-100).
   * @default 80
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Data node JVM memory pressure (maximum, three minutes in a row), in percent (0-100).
   * @default 95
   */
  readonly jvmMemoryPressurePercent?: number;
  /**
   * Data node old-generation JVM memory pressure (maximum, three minutes in a row), in percent (0-100).
   * Alarmed on OpenSearch engines only.
   * @default 80
   */
  readonly oldGenJvmMemoryPressurePercent?: number;
  /**
   * Dedicated master CPU utilization (average over 15 minutes, three periods in a row), in percent (0-100).
   * @default 50
   */
  readonly masterCpuUtilizationPercent?: number;
  /**
   * Dedicated master JVM memory pressure (maximum, three minutes in a row), in percent (0-100).
   * @default 95
   */
  readonly masterJvmMemoryPressurePercent?: number;
  /**
   * Dedicated master old-generation JVM memory pressure (maximum, three minutes in a row), in percent (0-100).
   * Alarmed on OpenSearch engines only.
   * @default 80
   */
  readonly masterOldGenJvmMemoryPressurePercent?: number;
  /**
   * Free storage of the fullest data node, in percent (0-100) of one node's volume.
   * @default 25
   */
  readonly freeStoragePercent?: number;
  /**
   * Share of requests to the domain that end in a 5xx status over 5 minutes, in percent (0-100).
   * @default 10
   */
  readonly http5xxPercent?: number;
  /**
   * Tasks waiting in the write thread pool (average over the nodes, one minute), a count of at least 0.
   * @default 100
   */
  readonly threadpoolWriteQueue?: number;
  /**
   * Tasks waiting in the search thread pool (average over the nodes, one minute), a count of at least 0.
   * @default 500
   */
  readonly threadpoolSearchQueue?: number;
  /**
   * Tasks waiting in the search thread pool of the busiest node (one minute), a count of at least 0.
   * @default 5000
   */
  readonly threadpoolSearchQueueMaximum?: number;
  /**
   * Active primary and replica shards, a count of at least 0.
   * @default 30000
   */
  readonly shardsActive?: number;
}
