import * as glue from 'aws-cdk-lib/aws-glue';

/**
 * Options of a Glue table that `StreamingDataLake` creates from column definitions.
 */
export interface StreamingDataLakeTableOptions {
  /**
   * Database the table is created in.
   * @default - a new Glue database
   */
  readonly database?: glue.IDatabase;
  /**
   * Table name: lowercase letters, digits and underscores, at most 255 characters (Athena's rule).
   * @see https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
   * @default - generated from the construct path
   */
  readonly tableName?: string;
  /**
   * Table description.
   * @default - says that the table is written by this construct
   */
  readonly description?: string;
  /**
   * First year that Athena's partition projection enumerates; the last is 2099.
   * @default 2025
   */
  readonly projectionFirstYear?: number;
}

/**
 * An existing Glue table whose schema Firehose uses for record format conversion.
 */
export interface StreamingDataLakeExistingTable {
  /**
   * The Glue database that holds the table, for example `glue.Database.fromDatabaseArn(...)` or another
   * architecture's `database`. Its ARN gives the account of the Data Catalog.
   */
  readonly database: glue.IDatabase;
  /** Name of the table. */
  readonly tableName: string;
}

/**
 * Where the schema of the converted records comes from: columns the construct turns into a Glue
 * table with partition projection, or an existing table.
 */
export class StreamingDataLakeSchema {
  /**
   * A new Glue table with these columns, partitioned exactly as Firehose writes, with partition
   * projection so Athena sees new partitions without a crawler.
   *
   * @param columns the record fields, in the order readers see them
   */
  public static fromColumns(columns: glue.Column[], options: StreamingDataLakeTableOptions = {}): StreamingDataLakeSchema {
    return new StreamingDataLakeSchema(columns, options, undefined);
  }

  /**
   * An existing table (for example one shared by several streams). Its partition keys and
   * projection are yours to keep consistent with the delivery prefix.
   */
  public static fromTable(table: StreamingDataLakeExistingTable): StreamingDataLakeSchema {
    return new StreamingDataLakeSchema(undefined, undefined, table);
  }

  /** Columns of a table to create. */
  public readonly columns?: glue.Column[];
  /** Options of a table to create. */
  public readonly tableOptions?: StreamingDataLakeTableOptions;
  /** An existing table. */
  public readonly existingTable?: StreamingDataLakeExistingTable;

  private constructor(columns: glue.Column[] | undefined, tableOptions: StreamingDataLakeTableOptions | undefined,
    existingTable: StreamingDataLakeExistingTable | undefined) {
    this.columns = columns;
    this.tableOptions = tableOptions;
    this.existingTable = existingTable;
  }
}
