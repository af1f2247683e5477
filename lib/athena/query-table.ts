import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

import type { StreamingDataLake } from '../streaming-data-lake/streaming-data-lake';

/**
 * A lake table, as an `AthenaWorkgroup` needs to know it: where it is in the Data Catalog (for the Glue reads of
 * `grantQuery` and the sample query), where its files are (for the S3 and KMS reads), and its partition keys (so that
 * the sample query filters on them and scans one partition, not the whole table).
 */
export interface AthenaQueryTableProps {
  /** Name of the Data Catalog database that holds the table. */
  readonly databaseName: string;
  /** Name of the table. */
  readonly tableName: string;
  /**
   * Account of the Data Catalog.
   * @default - the stack's account
   */
  readonly catalogId?: string;
  /** The bucket of the table's files. */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of the table's location in `bucket`, ending with `/` (for example `clicks/`): `grantQuery` lets the
   * grantee read the objects under it and nothing else of the bucket.
   */
  readonly dataPrefix: string;
  /**
   * The table's partition keys, in order. The sample query has an equality predicate on each, as a `?` parameter
   * that the Athena console asks for when the query is run, so it reads one partition.
   * @default - none: the sample query has no predicate, and reads the whole table up to the workgroup's cutoff
   */
  readonly partitionKeys?: string[];
  /**
   * Columns the sample query selects.
   * @default - every column (`*`)
   */
  readonly columns?: string[];
}

/**
 * A table of the lake that an `AthenaWorkgroup` queries: each gets a sample named query (with partition predicates)
 * and is covered by `grantQuery`.
 */
export class AthenaQueryTable {
  /**
   * The Glue table of a `StreamingDataLake`: its database and table names, its data prefix in the lake bucket, and its
   * partition keys (the dynamic partition keys, then `year`, `month`, `day` and `hour` as the lake partitions them).
   * The lake's partition projection has Athena compute the partitions from these predicates: no crawler, no
   * `MSCK REPAIR TABLE`, and a dynamic key with `injected` projection (the lake's default) must be given in every query.
   */
  public static fromStreamingDataLake(lake: StreamingDataLake): AthenaQueryTable {
    return new AthenaQueryTable({
      databaseName: lake.databaseName,
      tableName: lake.tableName,
      catalogId: lake.catalogId,
      bucket: lake.bucket,
      dataPrefix: lake.dataPrefix,
      partitionKeys: (lake.table?.partitionKeys ?? []).map(c => c.name),
      columns: lake.table?.columns.map(c => c.name),
    });
  }

  /** A table given by its names, location and partition keys. */
  public static of(props: AthenaQueryTableProps): AthenaQueryTable {
    return new AthenaQueryTable(props);
  }

  /** Name of the Data Catalog database. */
  public readonly databaseName: string;
  /** Name of the table. */
  public readonly tableName: string;
  /** Account of the Data Catalog, when given. */
  public readonly catalogId?: string;
  /** The bucket of the table's files. */
  public readonly bucket: s3.IBucket;
  /** Key prefix of the table's files. */
  public readonly dataPrefix: string;
  /** Partition keys, in order. */
  public readonly partitionKeys: string[];
  /** Columns the sample query selects (empty: every column). */
  public readonly columns: string[];

  private constructor(props: AthenaQueryTableProps) {
    this.databaseName = props.databaseName;
    this.tableName = props.tableName;
    this.catalogId = props.catalogId;
    this.bucket = props.bucket;
    this.dataPrefix = props.dataPrefix;
    this.partitionKeys = props.partitionKeys ?? [];
    this.columns = props.columns ?? [];
  }

  /** The Glue ARNs a reader of the table needs: the catalog, the database and the table. */
  public catalogArns(stack: Stack): string[] {
    const account = this.catalogId ?? stack.account;
    const arn = (resource: string, resourceName?: string) => stack.formatArn({ service: 'glue', resource, resourceName, account });
    return [arn('catalog'), arn('database', this.databaseName), arn('table', `${this.databaseName}/${this.tableName}`)];
  }
}
