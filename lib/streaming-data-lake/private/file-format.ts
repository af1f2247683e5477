import { Annotations, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { IConstruct } from 'constructs';

import { PropsValidator, Shown } from '../../core/validation';
import { StreamingDataLakeFileFormat } from '../options';

// The SerDe limits Firehose documents; aws-cdk-lib's ParquetOutputFormat/OrcOutputFormat throw on the same values
// while they are constructed, without a construct path, so they are checked here first.
// https://docs.aws.amazon.com/firehose/latest/APIReference/API_ParquetSerDe.html
// https://docs.aws.amazon.com/firehose/latest/APIReference/API_OrcSerDe.html
const PARQUET_COMPRESSIONS = ['UNCOMPRESSED', 'GZIP', 'SNAPPY'];
const ORC_COMPRESSIONS = ['NONE', 'ZLIB', 'SNAPPY'];

/**
 * Every limit of the Parquet or ORC SerDe options of `format`: BlockSizeBytes at least 64 MiB (both), PageSizeBytes at
 * least 64 KiB (Parquet), StripeSizeBytes at least 8 MiB, BloomFilterFalsePositiveProbability, DictionaryKeyThreshold
 * and PaddingTolerance between 0 and 1, RowIndexStride at least 1000 (ORC).
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_ParquetSerDe.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_OrcSerDe.html
 */
export function checkFileFormat(v: PropsValidator, format: StreamingDataLakeFileFormat): void {
  const parquet = format.parquetOptions;
  const orc = format.orcOptions;
  const serde = parquet ? 'Parquet' : 'ORC';
  atLeast(v, 'fileFormat.blockSize', (parquet ?? orc)?.blockSize, Size.mebibytes(64), serde);
  if (parquet) {
    atLeast(v, 'fileFormat.pageSize', parquet.pageSize, Size.kibibytes(64), serde);
  }
  if (orc) {
    atLeast(v, 'fileFormat.stripeSize', orc.stripeSize, Size.mebibytes(8), serde);
    v.inRange('fileFormat.bloomFilterFalsePositiveProbability', orc.bloomFilterFalsePositiveProbability, 0, 1);
    v.inRange('fileFormat.dictionaryKeyThreshold', orc.dictionaryKeyThreshold, 0, 1);
    v.inRange('fileFormat.paddingTolerance', orc.paddingTolerance, 0, 1);
    v.wholeNumber('fileFormat.rowIndexStride', orc.rowIndexStride, 1000);
  }
}

/**
 * Warns on a compression given through `ParquetCompression.of()`/`OrcCompression.of()` that Firehose does not
 * document: a new value may be supported by now, a typo is rejected when the stream is created.
 */
export function warnOnUnknownCompression(scope: IConstruct, format: StreamingDataLakeFileFormat): void {
  const value = format.parquetOptions?.compression?.value ?? format.orcOptions?.compression?.value;
  if (value === undefined || Token.isUnresolved(value)) return;
  const [kind, allowed] = format.parquetOptions ? ['a Parquet', PARQUET_COMPRESSIONS] : ['an ORC', ORC_COMPRESSIONS];
  if (allowed.includes(value)) return;
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:streamingDataLakeUnknownCompression',
    `fileFormat.compression ('${value}') is not ${kind} compression Firehose documents (${allowed.join(', ')}): Firehose rejects ` +
    'the delivery stream unless it supports it by now');
}

/**
 * The output format to render: the user's options without those validation reported (`reported` holds the
 * property names), which keep Firehose's defaults until fixed.
 */
export function buildOutputFormat(format: StreamingDataLakeFileFormat, reported: Set<string>): firehose.IOutputFormat {
  const keep = <T extends object>(options: T): T =>
    Object.fromEntries(Object.entries(options).filter(([k]) => !reported.has(`fileFormat.${k}`))) as T;
  return format.parquetOptions
    ? new firehose.ParquetOutputFormat(keep(format.parquetOptions))
    : new firehose.OrcOutputFormat(keep(format.orcOptions ?? {}));
}

/**
 * A SerDe size of at least `min` (BlockSizeBytes, PageSizeBytes, StripeSizeBytes: "Valid Range: Minimum value of ...").
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_ParquetSerDe.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_OrcSerDe.html
 */
function atLeast(v: PropsValidator, property: string, value: Size | undefined, min: Size, serde: string): void {
  if (value === undefined || value.isUnresolved()) return;
  const kib = value.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  const minKib = min.toKibibytes();
  v.check(kib >= minKib, property, new Shown(inUnitOf(value, min)), `must be at least ${inUnitOf(min, min)} (Firehose ${serde} SerDe minimum)`);
}

/** `size` in the unit the limit is written in (MiB, or KiB under 1 MiB). */
function inUnitOf(size: Size, limit: Size): string {
  return limit.toKibibytes() >= 1024
    ? `${size.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB`
    : `${size.toKibibytes({ rounding: SizeRoundingBehavior.NONE })} KiB`;
}
