/**
 * An UltraWarm node type. UltraWarm runs on its own instance types, not on the data node types.
 *
 * Use a static value, or `of()` for a type AWS added after this version of the library (synth warns, so that a typo
 * does not go unnoticed, and OpenSearch Service rejects a type it does not offer at deploy).
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#limits-ultrawarm
 */
export class OpenSearchWarmInstanceType {
  /** `ultrawarm1.medium.search`: up to 1.5 TiB of storage per node. */
  public static readonly ULTRAWARM1_MEDIUM = new OpenSearchWarmInstanceType('ultrawarm1.medium.search');
  /** `ultrawarm1.large.search`: up to 20 TiB of storage per node. */
  public static readonly ULTRAWARM1_LARGE = new OpenSearchWarmInstanceType('ultrawarm1.large.search');

  /**
   * An UltraWarm type by name, for example `ultrawarm1.medium.search`.
   * @param name the instance type as the OpenSearch Service API spells it
   */
  public static of(name: string): OpenSearchWarmInstanceType {
    return new OpenSearchWarmInstanceType(name);
  }

  /** The types this version of the library knows. */
  public static readonly KNOWN: OpenSearchWarmInstanceType[] = [
    OpenSearchWarmInstanceType.ULTRAWARM1_MEDIUM, OpenSearchWarmInstanceType.ULTRAWARM1_LARGE,
  ];

  private constructor(
    /** The instance type as the OpenSearch Service API spells it. */
    public readonly name: string,
  ) {}

  /** The instance type's name. */
  public toString(): string {
    return this.name;
  }
}
