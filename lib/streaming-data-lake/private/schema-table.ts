import { RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { StreamingDataLakeFileFormat } from '../options';
import { StreamingDataLakeSchema } from '../schema';

/** What the lake's schema table is made of, defaults resolved and reported values replaced. */
export interface SchemaTableOptions {
  readonly schema: StreamingDataLakeSchema;
  readonly partitions: glue.Column[];
  readonly projection: glue.PartitionProjection;
  readonly fileFormat: StreamingDataLakeFileFormat;
  readonly bucket: s3.IBucket;
  readonly dataPrefix: string;
  readonly removalPolicy: RemovalPolicy;
}

/** The table the lake converts with and readers query, and its database. */
export interface SchemaTable {
  readonly database: glue.IDatabase;
  readonly table?: glue.S3Table;
  readonly databaseName: string;
  readonly tableName: string;
}

/**
 * A new Glue table (and database, unless given) over the data prefix, partitioned and projected as Firehose writes;
 * or, with `StreamingDataLakeSchema.fromTable`, the existing table's database as given.
 */
export function createSchemaTable(lake: Construct, o: SchemaTableOptions): SchemaTable {
  const columns = o.schema.columns;
  const tableOptions = o.schema.tableOptions ?? {};
  if (!columns) {
    const existing = o.schema.existingTable!;
    return { database: existing.database, databaseName: existing.database.databaseName, tableName: existing.tableName };
  }
  const database = tableOptions.database ?? new glue.Database(lake, 'Database', {
    description: `Tables written by ${lake.node.path}`,
    removalPolicy: o.removalPolicy,
  });
  const tableColumns = dedupe(columns.length > 0 ? columns : [{ name: 'placeholder', type: glue.Schema.STRING }]);
  const table = new glue.S3Table(lake, 'Table', {
    database,
    tableName: tableOptions.tableName,
    description: tableOptions.description ?? `Records delivered by ${lake.node.path}; partitions are projected, no crawler needed`,
    columns: tableColumns,
    partitionKeys: o.partitions,
    partitionProjection: o.projection,
    dataFormat: o.fileFormat.tableDataFormat,
    storage: glue.S3TableStorage.fromBucket(o.bucket),
    s3Prefix: o.dataPrefix,
    compressed: true,
    // SSE-KMS is decrypted by S3 itself; this parameter is only for client-side encryption.
    hasEncryptedData: false,
  });
  table.applyRemovalPolicy(o.removalPolicy);
  return { database, table, databaseName: database.databaseName, tableName: table.tableName };
}

function dedupe(columns: glue.Column[]): glue.Column[] {
  const seen = new Set<string>();
  return columns.filter(c => (seen.has(c.name) ? false : (seen.add(c.name), true)));
}
