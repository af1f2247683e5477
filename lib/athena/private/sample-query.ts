import { AthenaQueryTable } from '../query-table';

/** Rows the sample query returns at most: enough to see the data, few enough to be read on screen. */
const SAMPLE_ROWS = 100;

/**
 * The sample query of a table: its columns, one equality predicate per partition key as a `?` parameter (the Athena
 * console asks for each value when a saved query with parameters is run), and a row limit. With a predicate on every
 * partition key, Athena reads one partition; with partition projection it computes the partition's location from the
 * values, and an `injected` key must have one.
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html
 */
export function sampleQuery(table: AthenaQueryTable): string {
  const columns = table.columns.length > 0 ? table.columns.map(quote).join(', ') : '*';
  const where = table.partitionKeys.length > 0
    ? `\nWHERE ${table.partitionKeys.map(k => `${quote(k)} = ?`).join('\n  AND ')}` : '';
  return `SELECT ${columns}\nFROM ${quote(table.databaseName)}.${quote(table.tableName)}${where}\nLIMIT ${SAMPLE_ROWS}`;
}

/** An Athena (Trino) identifier in double quotes, a double quote in it doubled. */
function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
