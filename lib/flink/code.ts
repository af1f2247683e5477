import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';

/** Where the application code is, once bound to the application. */
export interface FlinkApplicationCodeConfig {
  /** The bucket that holds the code. */
  readonly bucket: s3.IBucket;
  /** The object key of the JAR (or zip of a Python application). */
  readonly key: string;
  /**
   * The object version to run.
   * @default - the latest version
   */
  readonly objectVersion?: string;
}

/**
 * The code of a Managed Service for Apache Flink application: a fat JAR (Java, Scala) or a zip (Python) in S3, which
 * the service downloads when the application starts (up to 512 MB).
 *
 * - `fromAsset(path)` uploads a file you built (for example `target/app-1.0.jar`) to the CDK staging bucket as an
 *   asset on `cdk deploy`.
 * - `fromBucket(bucket, key)` runs an object you upload yourself (a CI pipeline's artifact).
 *
 * Either way the application's role gets `s3:GetObject` on that one object, and `kms:Decrypt` through S3 on the
 * bucket's key when the bucket has a customer-managed key this app knows (`bucket.encryptionKey`). The CDK staging
 * bucket of an asset is imported, so its key is not known here: if your account was bootstrapped with a
 * customer-managed key for it (`cdk bootstrap --bootstrap-customer-key`), grant the application `kms:Decrypt` on that
 * key yourself (`key.grantDecrypt(app)`).
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-creating-apps.html
 */
export abstract class FlinkApplicationCode {
  /**
   * A local JAR or zip file, uploaded as an asset.
   * @param path path of the file, for example `path.join(__dirname, 'target', 'app.jar')`
   */
  public static fromAsset(path: string): FlinkApplicationCode {
    return new AssetCode(path);
  }

  /**
   * An object in a bucket.
   * @param bucket the bucket
   * @param key the object key, 1 to 1024 characters
   * @param objectVersion the version to run (a versioned bucket); the latest version when omitted
   */
  public static fromBucket(bucket: s3.IBucket, key: string, objectVersion?: string): FlinkApplicationCode {
    return new BucketCode({ bucket, key, objectVersion });
  }

  /** Creates what the code needs (an asset) under `scope` and says where the code is. */
  public abstract bind(scope: Construct): FlinkApplicationCodeConfig;
}

class AssetCode extends FlinkApplicationCode {
  private asset?: s3assets.Asset;

  constructor(private readonly path: string) {
    super();
  }

  public bind(scope: Construct): FlinkApplicationCodeConfig {
    this.asset = this.asset ?? new s3assets.Asset(scope, 'Code', { path: this.path });
    return { bucket: this.asset.bucket, key: this.asset.s3ObjectKey };
  }
}

class BucketCode extends FlinkApplicationCode {
  constructor(private readonly config: FlinkApplicationCodeConfig) {
    super();
  }

  public bind(_scope: Construct): FlinkApplicationCodeConfig {
    return this.config;
  }
}
