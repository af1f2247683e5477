"""Streamed click events -> a curated daily aggregate, read through the Data Catalog.

Reads the `clicks` table that the StreamingDataLake's Firehose stream fills with Parquet files (its
partitions are projected, so no crawler is needed for it), keeps yesterday's events, and writes one row
per (day, event_type, page) to s3://<lake_bucket>/<output_prefix> as Snappy Parquet partitioned by day.
The pipeline's crawler then catalogs the curated zone for Athena, EMR and Redshift Spectrum.
"""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "lake_bucket", "lake_database", "source_table", "output_prefix"])

glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

yesterday = F.date_sub(F.current_date(), 1)
clicks = glue_context.create_data_frame.from_catalog(
    database=args["lake_database"],
    table_name=args["source_table"],
    # Partition pruning on the projected year/month/day partitions: only yesterday's files are read.
    push_down_predicate="to_date(concat(year, '-', month, '-', day)) = date_sub(current_date(), 1)",
)

daily = (
    clicks.where(F.to_date(F.col("event_time")) == yesterday)
    .groupBy(F.to_date(F.col("event_time")).alias("day"), "event_type", "page")
    .agg(F.count("*").alias("clicks"), F.countDistinct("user_id").alias("users"), F.avg("duration_ms").alias("avg_duration_ms"))
)

(
    daily.write.mode("overwrite")
    .option("partitionOverwriteMode", "dynamic")
    .partitionBy("day")
    .parquet(f"s3://{args['lake_bucket']}/{args['output_prefix']}")
)

job.commit()
