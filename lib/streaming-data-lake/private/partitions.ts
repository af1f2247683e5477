import * as glue from 'aws-cdk-lib/aws-glue';

import { StreamingDataLakePartitionKey, StreamingDataLakeTimePartitioning } from '../options';

/** The names of the time partition columns; dynamic keys may not reuse them. */
export const TIME_PARTITION_NAMES = ['year', 'month', 'day', 'hour'];

/** Dynamic partitioning keys per Firehose stream. */
export const MAX_PARTITION_KEYS = 50;

/** Last year partition projection enumerates. */
export const PROJECTION_LAST_YEAR = 2099;

interface TimeLevel {
  readonly name: string;
  /** Java DateTimeFormatter pattern Firehose evaluates in `!{timestamp:...}`. */
  readonly pattern: string;
  readonly min: number;
  readonly max: number;
  readonly digits: number;
}

const LEVELS: TimeLevel[] = [
  { name: 'year', pattern: 'yyyy', min: 0, max: 0, digits: 4 },
  { name: 'month', pattern: 'MM', min: 1, max: 12, digits: 2 },
  { name: 'day', pattern: 'dd', min: 1, max: 31, digits: 2 },
  { name: 'hour', pattern: 'HH', min: 0, max: 23, digits: 2 },
];

function levels(granularity: StreamingDataLakeTimePartitioning): TimeLevel[] {
  const count = { MONTH: 2, DAY: 3, HOUR: 4 }[granularity];
  return LEVELS.slice(0, count);
}

/**
 * The partition part of the S3 key, in the order of the table's partition keys: dynamic keys first
 * (`tenant=!{partitionKeyFromQuery:tenant}/`), then time (`year=!{timestamp:yyyy}/...`).
 */
export function partitionPath(granularity: StreamingDataLakeTimePartitioning, keys: StreamingDataLakePartitionKey[]): string {
  return keys.map(k => `${k.name}=!{partitionKeyFromQuery:${k.name}}/`).join('')
    + timePath(granularity);
}

/** The time part of a key: `year=!{timestamp:yyyy}/month=!{timestamp:MM}/...`. */
export function timePath(granularity: StreamingDataLakeTimePartitioning): string {
  return levels(granularity).map(l => `${l.name}=!{timestamp:${l.pattern}}/`).join('');
}

/** The Glue partition keys matching `partitionPath`: dynamic keys as strings, time levels as ints. */
export function partitionColumns(granularity: StreamingDataLakeTimePartitioning, keys: StreamingDataLakePartitionKey[]): glue.Column[] {
  return [
    ...keys.map(k => ({ name: k.name, type: glue.Schema.STRING, comment: `Dynamic partition from ${k.query}` })),
    ...levels(granularity).map(l => ({ name: l.name, type: glue.Schema.INTEGER, comment: `Arrival time (UTC) ${l.name}` })),
  ];
}

/**
 * Athena partition projection for every partition key: integer ranges with zero padding for the
 * time levels (Firehose writes `month=05`), the user's choice (injected by default) for dynamic keys.
 *
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
 */
export function partitionProjection(granularity: StreamingDataLakeTimePartitioning, keys: StreamingDataLakePartitionKey[],
  firstYear: number): Record<string, glue.PartitionProjectionConfiguration> {
  const out: Record<string, glue.PartitionProjectionConfiguration> = {};
  for (const k of keys) {
    out[k.name] = k.projection ?? glue.PartitionProjectionConfiguration.injected();
  }
  for (const l of levels(granularity)) {
    out[l.name] = l.name === 'year'
      ? glue.PartitionProjectionConfiguration.integer({ min: firstYear, max: PROJECTION_LAST_YEAR })
      : glue.PartitionProjectionConfiguration.integer({ min: l.min, max: l.max, digits: l.digits });
  }
  return out;
}

/**
 * The partition keys the lake can use while validation reports the others: not a time partition, not a column, not a
 * repeat, with a query, and at most the Firehose maximum (`MAX_PARTITION_KEYS`, 50).
 */
export function usablePartitionKeys(keys: StreamingDataLakePartitionKey[], columns: glue.Column[] | undefined): StreamingDataLakePartitionKey[] {
  const columnNames = new Set((columns ?? []).map(c => c.name));
  const used = new Set<string>();
  return keys.filter(k => {
    const ok = !TIME_PARTITION_NAMES.includes(k.name) && !columnNames.has(k.name) && !used.has(k.name) && k.query.trim().length > 0;
    used.add(k.name);
    return ok;
  }).slice(0, MAX_PARTITION_KEYS);
}
