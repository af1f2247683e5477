/**
 * An Amazon EMR release label (`emr-x.y.z`): which versions of Hadoop, Spark, Hive... the cluster runs.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-7x.html
 */
export class EmrReleaseLabel {
  /**
   * Amazon EMR 7.13.0, the newest 7.x release listed in the release guide when this library was written.
   * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-7130-release.html
   */
  public static readonly EMR_7_13_0 = new EmrReleaseLabel('emr-7.13.0');
  /** Amazon EMR 7.12.0. */
  public static readonly EMR_7_12_0 = new EmrReleaseLabel('emr-7.12.0');
  /** Amazon EMR 7.10.0. */
  public static readonly EMR_7_10_0 = new EmrReleaseLabel('emr-7.10.0');
  /** Amazon EMR 6.15.0, the last 6.x release. */
  public static readonly EMR_6_15_0 = new EmrReleaseLabel('emr-6.15.0');

  /** Any release label, in the form `emr-x.y.z` (checked at synth). */
  public static of(label: string): EmrReleaseLabel {
    return new EmrReleaseLabel(label);
  }

  private constructor(public readonly label: string) {}
}

/**
 * An application EMR installs on the cluster.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-app-versions-7.x.html
 */
export class EmrApplication {
  /** Apache Hadoop (YARN, HDFS, MapReduce). */
  public static readonly HADOOP = new EmrApplication('Hadoop');
  /** Apache Spark. */
  public static readonly SPARK = new EmrApplication('Spark');
  /** Apache Hive. */
  public static readonly HIVE = new EmrApplication('Hive');
  /** Trino (formerly PrestoSQL). */
  public static readonly TRINO = new EmrApplication('Trino');
  /** PrestoDB. EMR cannot install it together with Trino. */
  public static readonly PRESTO = new EmrApplication('Presto');
  /** Apache HBase. */
  public static readonly HBASE = new EmrApplication('HBase');
  /** Apache Flink. */
  public static readonly FLINK = new EmrApplication('Flink');
  /** Apache Livy (REST interface for Spark). */
  public static readonly LIVY = new EmrApplication('Livy');
  /** Apache Tez. */
  public static readonly TEZ = new EmrApplication('Tez');
  /** Hue. */
  public static readonly HUE = new EmrApplication('Hue');
  /** Jupyter Enterprise Gateway (for EMR Studio). */
  public static readonly JUPYTER_ENTERPRISE_GATEWAY = new EmrApplication('JupyterEnterpriseGateway');
  /** Apache ZooKeeper. */
  public static readonly ZOOKEEPER = new EmrApplication('ZooKeeper');

  /** Any application by the name EMR gives it (for example `Phoenix`). */
  public static of(name: string): EmrApplication {
    return new EmrApplication(name);
  }

  private constructor(public readonly name: string) {}
}

/**
 * One EMR configuration classification: the application settings file EMR writes on every node.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-configure-apps.html
 */
export interface EmrConfiguration {
  /** The classification, for example `spark-defaults`, `hive-site` or `yarn-site`. */
  readonly classification: string;
  /**
   * The settings of the classification.
   * @default - no settings (useful for export-only classifications that only nest `configurations`)
   */
  readonly properties?: { [key: string]: string };
  /**
   * Nested classifications, for example `export` under `spark-env`.
   * @default - none
   */
  readonly configurations?: EmrConfiguration[];
}
