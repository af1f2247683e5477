import { Duration, SecretValue } from 'aws-cdk-lib';
import * as emr from 'aws-cdk-lib/aws-emr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { Shown, validateAtSynth } from '../core/validation';

/**
 * The TLS certificates EMR installs on every node for in-transit encryption: a zip of PEM files in S3, named
 * exactly `privateKey.pem` (required), `certificateChain.pem` (required) and `trustedCertificates.pem` (when the
 * chain does not lead to a CA in Java's default trust store). Issue the certificate for the VPC's internal domain
 * (a wildcard such as `*.ec2.internal` in us-east-1, `*.<region>.compute.internal` elsewhere). The nodes download
 * the zip with their instance profile, which `EmrCluster` lets read that one object (and decrypt with the bucket's
 * key). A new certificate needs a new object key, which replaces the security configuration and the cluster.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
 */
export class EmrTlsCertificates {
  /**
   * A zip of PEM files in an S3 bucket. The cluster nodes read it with their instance profile.
   * @param bucket the bucket holding the zip
   * @param key the object key, ending in `.zip`
   */
  public static fromPemZip(bucket: s3.IBucket, key: string): EmrTlsCertificates {
    return new EmrTlsCertificates(bucket, key);
  }

  private constructor(
    /** The bucket holding the zip. */
    public readonly bucket: s3.IBucket,
    /** The object key of the zip. */
    public readonly key: string,
  ) {}
}

/**
 * Kerberos authentication with a KDC dedicated to the cluster (on the primary node).
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html
 */
export interface EmrKerberos {
  /** The Kerberos realm, in upper case (for example `EC2.INTERNAL`). */
  readonly realm: string;
  /**
   * The password of the KDC `kadmin` principal; pass a Secrets Manager reference
   * (`SecretValue.secretsManager(...)`), never a literal.
   */
  readonly kdcAdminPassword: SecretValue;
  /**
   * How long a ticket is valid.
   * @default Duration.hours(24)
   */
  readonly ticketLifetime?: Duration;
}

/** Props of `EmrSecurityConfiguration`. */
export interface EmrSecurityConfigurationProps {
  /** Key for S3 SSE-KMS (EMRFS) and for local disk and EBS encryption. */
  readonly encryptionKey: kms.IKey;
  /**
   * Encrypt EBS root and storage volumes too (not only instance-store and EBS data through LUKS).
   * @default true
   */
  readonly ebsEncryption?: boolean;
  /**
   * TLS certificates for in-transit encryption between nodes and of application traffic.
   * @default - no in-transit encryption
   */
  readonly inTransitEncryption?: EmrTlsCertificates;
  /**
   * Kerberos authentication with a cluster-dedicated KDC (the cluster then also needs the realm and the
   * KDC admin password, which `EmrCluster` passes when given `kerberos`).
   * @default - no Kerberos
   */
  readonly kerberos?: EmrKerberos;
  /**
   * Make every node answer only IMDSv2 (token) requests to the instance metadata service, with a PUT response
   * hop limit of 1, so that a server-side request forgery cannot read the instance profile's credentials.
   * Needs release emr-5.32.0 / emr-6.2.0 or later (`EmrCluster` checks it). EMR on EC2 takes no launch
   * template: the security configuration is where EMR sets the metadata options of the instances it launches.
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
   * @see https://aws.amazon.com/about-aws/whats-new/2021/03/amazon-emr-now-supports-amazon-ec2-instance-metadata-service-v2/
   * @default true
   */
  readonly requireImdsV2?: boolean;
  /**
   * Buckets whose objects EMRFS encrypts with their own key instead of `encryptionKey` (SSE-KMS overrides),
   * so that what the cluster writes to a data lake stays readable by the lake's other readers, who hold the
   * lake's key and not the cluster's.
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
   * @default - none: EMRFS encrypts every object it writes with `encryptionKey`
   */
  readonly bucketKeys?: EmrBucketKey[];
}

/** A bucket and the KMS key EMRFS encrypts the objects it writes there with. */
export interface EmrBucketKey {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /** The key. */
  readonly key: kms.IKey;
}

/**
 * An EMR security configuration with at-rest encryption (S3 SSE-KMS, local disks and EBS with KMS) and,
 * when certificates are given, in-transit TLS.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
 */
export class EmrSecurityConfiguration extends Construct {
  /** The name of the security configuration, for `SecurityConfiguration` of a cluster. */
  public readonly securityConfigurationName: string;
  /** The L1 resource. */
  public readonly resource: emr.CfnSecurityConfiguration;
  /** Whether in-transit encryption is on. */
  public readonly inTransitEncryption: boolean;

  constructor(scope: Construct, id: string, props: EmrSecurityConfigurationProps) {
    super(scope, id);
    const tls = props.inTransitEncryption;
    this.inTransitEncryption = tls !== undefined;

    validateAtSynth(this, v => {
      const k = props.kerberos;
      if (k) {
        // Realms are upper-case DNS-like names; ticket lifetimes are whole hours.
        // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos-options.html
        v.matches('kerberos.realm', k.realm, /^[A-Z0-9][A-Z0-9.-]*$/, 'an upper-case realm name such as EC2.INTERNAL');
        if (k.ticketLifetime && !k.ticketLifetime.isUnresolved()) {
          const hours = k.ticketLifetime.toHours({ integral: false });
          v.check(Number.isInteger(hours) && hours >= 1, 'kerberos.ticketLifetime', new Shown(`${hours} hours`), 'must be a whole number of hours, at least 1');
        }
      }
      // EMR downloads the certificates as a zip file of PEM files from S3.
      // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-pem-certificate
      if (tls) {
        v.matches('inTransitEncryption.key', tls.key, /^[^/].*\.zip$/, 'an S3 object key of a zip file (not starting with /, ending in .zip)');
      }
    });

    const overrides = (props.bucketKeys ?? []).map(b => ({ BucketName: b.bucket.bucketName, EncryptionMode: 'SSE-KMS', AwsKmsKey: b.key.keyArn }));
    const atRest: Record<string, unknown> = {
      S3EncryptionConfiguration: {
        EncryptionMode: 'SSE-KMS',
        AwsKmsKey: props.encryptionKey.keyArn,
        ...overrides.length > 0 ? { Overrides: overrides } : {},
      },
      LocalDiskEncryptionConfiguration: {
        EncryptionKeyProviderType: 'AwsKms',
        AwsKmsKey: props.encryptionKey.keyArn,
        EnableEbsEncryption: props.ebsEncryption ?? true,
      },
    };
    const encryption: Record<string, unknown> = {
      EnableAtRestEncryption: true,
      AtRestEncryptionConfiguration: atRest,
      EnableInTransitEncryption: this.inTransitEncryption,
    };
    if (tls) {
      encryption.InTransitEncryptionConfiguration = {
        TLSCertificateConfiguration: {
          CertificateProviderType: 'PEM',
          S3Object: `s3://${tls.bucket.bucketName}/${tls.key}`,
        },
      };
    }
    const securityConfiguration: Record<string, unknown> = { EncryptionConfiguration: encryption };
    if (props.requireImdsV2 ?? true) {
      securityConfiguration.InstanceMetadataServiceConfiguration = { MinimumInstanceMetadataServiceVersion: 2, HttpPutResponseHopLimit: 1 };
    }
    if (props.kerberos) {
      securityConfiguration.AuthenticationConfiguration = {
        KerberosConfiguration: {
          Provider: 'ClusterDedicatedKdc',
          ClusterDedicatedKdcConfiguration: {
            TicketLifetimeInHours: (props.kerberos.ticketLifetime ?? Duration.hours(24)).toHours({ integral: false }),
          },
        },
      };
    }
    // No name: CloudFormation generates one. A security configuration is replaced on any change of its name
    // or content, and a fixed name would have to exist twice during the replacement (and again on a retry
    // after a failed first deploy).
    this.resource = new emr.CfnSecurityConfiguration(this, 'Resource', { securityConfiguration });
    this.securityConfigurationName = this.resource.ref;
  }
}
