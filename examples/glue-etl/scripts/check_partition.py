"""Checks that today's partition of the curated table exists in the Data Catalog and holds data.

Exits non-zero (so the run FAILS and the pipeline's notification fires) when the partition is
missing or its S3 location is empty. Runs as a Python shell job (Python 3.9, boto3 only); in the
pipeline's VPC it reaches Glue and S3 through the VPC endpoints.
"""
import datetime
import sys

import boto3
from awsglue.utils import getResolvedOptions

args = getResolvedOptions(sys.argv, ["lake_database", "table", "region"])
today = datetime.datetime.now(datetime.timezone.utc).date()
values = [f"{today:%Y}", f"{today:%m}", f"{today:%d}"]

glue = boto3.client("glue", region_name=args["region"])
s3 = boto3.client("s3", region_name=args["region"])

try:
    partition = glue.get_partition(DatabaseName=args["lake_database"], TableName=args["table"], PartitionValues=values)
except glue.exceptions.EntityNotFoundException:
    print(f"Partition {values} of {args['lake_database']}.{args['table']} is missing")
    sys.exit(1)

location = partition["Partition"]["StorageDescriptor"]["Location"]
bucket, _, prefix = location.removeprefix("s3://").partition("/")
listing = s3.list_objects_v2(Bucket=bucket, Prefix=prefix.rstrip("/") + "/", MaxKeys=1)
if listing.get("KeyCount", 0) == 0:
    print(f"Partition {values} exists but {location} is empty")
    sys.exit(1)

print(f"Partition {values} is present at {location}")
