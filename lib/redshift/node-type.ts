/**
 * A Redshift node type, with the cluster sizes Redshift accepts when a cluster is created.
 *
 * Ranges are those of the "Node type details" table (node range with create cluster); elastic resize
 * can later go beyond them.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-node-type-info
 */
export class RedshiftNodeType {
  /** ra3.large: 2 vCPU, 16 GiB, managed storage; single node or 2–16 nodes. */
  public static readonly RA3_LARGE = new RedshiftNodeType('ra3.large', true, 16, true);
  /** ra3.xlplus: 4 vCPU, 32 GiB, managed storage; single node or 2–16 nodes. */
  public static readonly RA3_XLPLUS = new RedshiftNodeType('ra3.xlplus', true, 16, true);
  /** ra3.4xlarge: 12 vCPU, 96 GiB, managed storage; 2–32 nodes. */
  public static readonly RA3_4XLARGE = new RedshiftNodeType('ra3.4xlarge', false, 32, true);
  /** ra3.16xlarge: 48 vCPU, 384 GiB, managed storage; 2–128 nodes. */
  public static readonly RA3_16XLARGE = new RedshiftNodeType('ra3.16xlarge', false, 128, true);
  /** dc2.large: 2 vCPU, 15 GiB, 160 GB local SSD; single node or 2–32 nodes. */
  public static readonly DC2_LARGE = new RedshiftNodeType('dc2.large', true, 32, false);
  /** dc2.8xlarge: 32 vCPU, 244 GiB, 2.56 TB local SSD; 2–128 nodes. */
  public static readonly DC2_8XLARGE = new RedshiftNodeType('dc2.8xlarge', false, 128, false);

  /**
   * A node type by name. A listed name returns its constant, with its limits. Any other name is a node type
   * this library does not list yet: the warehouse warns (`cdk-analytics-blueprints:redshiftUnknownNodeType`)
   * and checks node counts only against the general limits (1 for single node, 2–128 for multi-node); RA3-only
   * features are allowed when the name starts with `ra3.`.
   * @param name the node type as the Redshift API spells it, for example `ra3.xlplus`
   */
  public static of(name: string): RedshiftNodeType {
    const listed = [
      RedshiftNodeType.RA3_LARGE, RedshiftNodeType.RA3_XLPLUS, RedshiftNodeType.RA3_4XLARGE, RedshiftNodeType.RA3_16XLARGE,
      RedshiftNodeType.DC2_LARGE, RedshiftNodeType.DC2_8XLARGE,
    ].find(t => t.name === name);
    return listed ?? new RedshiftNodeType(name, true, 128, name.startsWith('ra3.'));
  }

  private constructor(
    /** The node type as the Redshift API spells it. */
    public readonly name: string,
    /** Whether a single-node cluster of this type can be created. */
    public readonly singleNodeSupported: boolean,
    /** The largest multi-node cluster that can be created with this type. */
    public readonly maxNodes: number,
    /** Whether this is an RA3 type (managed storage, AZ relocation, data sharing). */
    public readonly isRa3: boolean,
  ) {}
}
