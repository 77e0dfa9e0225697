#!/usr/bin/env python3
"""boto3 as the independent client for brewline's AWS integration tests.

Usage: aws_peer.py ENDPOINT COMMAND [ARGS...]; prints JSON on stdout. Credentials and region come from the
environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION).
Commands:
  create-streams SHARDS NAME...    creates Kinesis streams and waits until they are ACTIVE
  read-stream NAME                 every record of every shard: [{shard, seq, key, data}]
  put-record NAME KEY DATA         {shard, seq}
  create-buckets NAME...           creates S3 buckets (path-style)
  list-objects BUCKET [PREFIX]     [{key, size}] over all pages
  common-prefixes BUCKET PREFIX D  [prefix] of one ListObjectsV2 page with a delimiter
  get-object BUCKET KEY            {"data": text}
  put-object BUCKET KEY TEXT       {}
"""
import json
import sys

import boto3
from botocore.config import Config


def main():
    endpoint, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    cfg = Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3})
    if cmd == "create-streams":
        k = boto3.client("kinesis", endpoint_url=endpoint, config=cfg)
        for name in args[1:]:
            k.create_stream(StreamName=name, ShardCount=int(args[0]))
        for name in args[1:]:
            k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
        out = {}
    elif cmd == "read-stream":
        k = boto3.client("kinesis", endpoint_url=endpoint, config=cfg)
        out = []
        for shard in k.list_shards(StreamName=args[0])["Shards"]:
            it = k.get_shard_iterator(StreamName=args[0], ShardId=shard["ShardId"],
                                      ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while it:
                r = k.get_records(ShardIterator=it, Limit=1000)
                for rec in r["Records"]:
                    out.append({"shard": shard["ShardId"], "seq": rec["SequenceNumber"],
                                "key": rec["PartitionKey"], "data": rec["Data"].decode("utf-8")})
                if not r["Records"]:
                    break
                it = r.get("NextShardIterator")
    elif cmd == "put-record":
        k = boto3.client("kinesis", endpoint_url=endpoint, config=cfg)
        r = k.put_record(StreamName=args[0], PartitionKey=args[1], Data=args[2].encode("utf-8"))
        out = {"shard": r["ShardId"], "seq": r["SequenceNumber"]}
    elif cmd == "create-buckets":
        s3 = boto3.client("s3", endpoint_url=endpoint, config=cfg)
        for b in args:
            s3.create_bucket(Bucket=b)
        out = {}
    elif cmd == "list-objects":
        s3 = boto3.client("s3", endpoint_url=endpoint, config=cfg)
        out = []
        kw = {"Bucket": args[0]}
        if len(args) > 1:
            kw["Prefix"] = args[1]
        for page in s3.get_paginator("list_objects_v2").paginate(**kw):
            out += [{"key": o["Key"], "size": o["Size"]} for o in page.get("Contents", [])]
    elif cmd == "common-prefixes":
        s3 = boto3.client("s3", endpoint_url=endpoint, config=cfg)
        r = s3.list_objects_v2(Bucket=args[0], Prefix=args[1], Delimiter=args[2])
        out = [p["Prefix"] for p in r.get("CommonPrefixes", [])]
    elif cmd == "get-object":
        s3 = boto3.client("s3", endpoint_url=endpoint, config=cfg)
        out = {"data": s3.get_object(Bucket=args[0], Key=args[1])["Body"].read().decode("utf-8")}
    elif cmd == "put-object":
        s3 = boto3.client("s3", endpoint_url=endpoint, config=cfg)
        s3.put_object(Bucket=args[0], Key=args[1], Body=args[2].encode("utf-8"))
        out = {}
    else:
        print(f"unknown command {cmd}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
