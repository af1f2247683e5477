import * as s3 from 'aws-cdk-lib/aws-s3';

/** What the cluster's nodes may do with the objects under a data location. */
export enum EmrDataAccess {
  /** Read objects (`s3:GetObject`). */
  READ = 'READ',
  /**
   * Read and write objects, without deleting any: appends, new partitions, new files.
   */
  READ_WRITE = 'READ_WRITE',
  /**
   * Read, write and delete objects: what `INSERT OVERWRITE`, `DataFrame.write.mode('overwrite')`, `DROP TABLE`
   * of a managed table and the clean-up of Hadoop output committers do.
   */
  READ_WRITE_DELETE = 'READ_WRITE_DELETE',
}

/**
 * An S3 location the cluster's nodes use through EMRFS (Spark, Hive, Trino...): a bucket, a key prefix in
 * it, and what the nodes may do with the objects under the prefix. The nodes may list the whole bucket
 * (Hadoop file systems list the parents of a path), and use the bucket's KMS key for what they may do.
 *
 * @example
 * EmrDataLocation.read(lake.bucket, 'raw/');
 * EmrDataLocation.readWrite(lake.bucket, 'curated/');
 */
export class EmrDataLocation {
  /** Read the objects under `prefix`. */
  public static read(bucket: s3.IBucket, prefix?: string): EmrDataLocation {
    return new EmrDataLocation(bucket, prefix ?? '', EmrDataAccess.READ);
  }

  /** Read and write (but not delete) the objects under `prefix`. */
  public static readWrite(bucket: s3.IBucket, prefix?: string): EmrDataLocation {
    return new EmrDataLocation(bucket, prefix ?? '', EmrDataAccess.READ_WRITE);
  }

  /** Read, write and delete the objects under `prefix` (overwrites, drops, output committers). */
  public static readWriteDelete(bucket: s3.IBucket, prefix?: string): EmrDataLocation {
    return new EmrDataLocation(bucket, prefix ?? '', EmrDataAccess.READ_WRITE_DELETE);
  }

  private constructor(
    /** The bucket. */
    public readonly bucket: s3.IBucket,
    /** The key prefix (ends in `/`), or `''` for the whole bucket. */
    public readonly prefix: string,
    /** What the nodes may do with the objects under the prefix. */
    public readonly access: EmrDataAccess,
  ) {}

  /** Whether the nodes may write under this location. */
  public get writable(): boolean {
    return this.access !== EmrDataAccess.READ;
  }
}
