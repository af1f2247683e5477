"""Glue Python shell job of the Glue ETL integration test.

It does nothing but start and finish: that it SUCCEEDS proves that Glue launched it in the VPC through the
pipeline's NETWORK connection, read this script from S3 (the CDK assets bucket) through the S3 gateway endpoint, and
wrote its logs (encrypted by the security configuration) through the CloudWatch Logs interface endpoint.
"""
import sys

print("cdk-analytics-blueprints Glue ETL integration test: the job ran in the VPC")
sys.exit(0)
