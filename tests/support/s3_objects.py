"""An S3 client independent of ours: boto3 from Debian's python3-boto3. Keys come from the
AWS_* environment variables.

  s3_objects.py list ENDPOINT BUCKET PREFIX
      prints {key relative to the prefix: {size, md5_of_body, md5chksum_hex, content_type,
      etag}} as JSON, reading every object
  s3_objects.py put ENDPOINT BUCKET KEY      (body from stdin; boto3 sends keys verbatim,
                                              "a/../b" included)
  s3_objects.py delete ENDPOINT BUCKET KEY
  s3_objects.py uploads ENDPOINT BUCKET PREFIX   prints the keys of unfinished multipart
                                                 uploads under PREFIX as a JSON list
  s3_objects.py lifecycle-put ENDPOINT BUCKET -   the bucket's lifecycle rules from stdin
                                                  (boto3's Rules list as JSON)
  s3_objects.py lifecycle-get ENDPOINT BUCKET -   prints the bucket's lifecycle rules as JSON
                                                  ([] when it has none)
"""
import base64
import hashlib
import json
import sys

import boto3
from botocore.config import Config

command, endpoint, bucket, name = sys.argv[1:5]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  config=Config(s3={"addressing_style": "path"}))
if command == "put":
    s3.put_object(Bucket=bucket, Key=name, Body=sys.stdin.buffer.read())
elif command == "delete":
    s3.delete_object(Bucket=bucket, Key=name)
elif command == "uploads":
    listed = s3.list_multipart_uploads(Bucket=bucket, Prefix=name)
    json.dump([u["Key"] for u in listed.get("Uploads", [])], sys.stdout)
elif command == "list":
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=name):
        for item in page.get("Contents", []):
            got = s3.get_object(Bucket=bucket, Key=item["Key"])
            body = got["Body"].read()
            stored = got.get("Metadata", {}).get("md5chksum", "")
            objects[item["Key"][len(name):]] = {
                "size": len(body),
                "md5_of_body": hashlib.md5(body).hexdigest(),
                "md5chksum_hex": base64.b64decode(stored).hex() if stored else "",
                "content_type": got.get("ContentType", ""),
                "etag": item["ETag"].strip('"'),
            }
    json.dump(objects, sys.stdout, sort_keys=True)
elif command == "lifecycle-put":
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": json.load(sys.stdin)})
elif command == "lifecycle-get":
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    except s3.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "NoSuchLifecycleConfiguration":
            raise
        rules = []
    json.dump(rules, sys.stdout, sort_keys=True)
else:
    sys.exit(f"unknown command {command}")
