import sys
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "lake_bucket"])  # --lake_bucket is set by the pipeline
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)
raw = glue_context.create_dynamic_frame.from_options(
    "s3", {"paths": [f"s3://{args['lake_bucket']}/raw/"]}, "json", transformation_ctx="raw")  # bookmarked
glue_context.write_dynamic_frame.from_options(
    raw, "s3", {"path": f"s3://{args['lake_bucket']}/curated/events/"}, "glueparquet", transformation_ctx="curated")
job.commit()
