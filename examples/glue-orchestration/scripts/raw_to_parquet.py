"""Raw JSON events -> Parquet partitioned by event date, with job bookmarks.

Reads s3://<lake_bucket>/<input_prefix> (JSON lines, one event per line with an ISO-8601 `event_time`),
writes s3://<lake_bucket>/<output_prefix> as Snappy Parquet partitioned by year/month/day. Job bookmarks
(--job-bookmark-option job-bookmark-enable) make every run process only the files added since the
last successful run.
"""
import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "lake_bucket", "input_prefix", "output_prefix"])

glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

source = glue_context.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [f"s3://{args['lake_bucket']}/{args['input_prefix']}"], "recurse": True},
    format="json",
    # The bookmark key: Glue remembers which files this context already read.
    transformation_ctx="raw_events",
)

events = source.toDF()
if events.rdd.isEmpty():
    print("No new raw events since the last run")
else:
    ts = F.to_timestamp(F.col("event_time"))
    partitioned = (
        events.withColumn("event_time", ts)
        .withColumn("year", F.date_format(ts, "yyyy"))
        .withColumn("month", F.date_format(ts, "MM"))
        .withColumn("day", F.date_format(ts, "dd"))
        .dropna(subset=["event_time"])
    )
    glue_context.write_dynamic_frame.from_options(
        frame=DynamicFrame.fromDF(partitioned, glue_context, "partitioned"),
        connection_type="s3",
        connection_options={
            "path": f"s3://{args['lake_bucket']}/{args['output_prefix']}",
            "partitionKeys": ["year", "month", "day"],
        },
        format="glueparquet",
        format_options={"compression": "snappy"},
        transformation_ctx="curated_events",
    )

job.commit()
