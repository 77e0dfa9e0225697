#!/usr/bin/env python3
"""The peer for bench/lambda: the Firehose transformation as a Python handler behind a minimal custom-runtime
loop (Runtime API 2018-06-01, the same calls our C++ client makes), using only the standard library — what a
python3.x Lambda's handler would do, minus AWS's own runtime client. Not used by the product."""
import base64
import http.client
import json
import os
import sys

COLUMNS = ("abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph")


def csv_field(text):
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def number(v):
    if v is None:
        return ""
    return repr(float(v)) if isinstance(v, float) else str(v)


def transform_record(record):
    raw = base64.b64decode(record["data"], validate=True)
    try:
        beer = json.loads(raw)
        if not isinstance(beer.get("id"), int) or not isinstance(beer.get("name"), str) or not beer["name"]:
            raise ValueError("bad beer")
        fields = [str(beer["id"]), csv_field(beer["name"])] + [number(beer.get(c)) for c in COLUMNS]
        line = (",".join(fields) + "\n").encode("utf-8")
        return {"recordId": record["recordId"], "result": "Ok", "data": base64.b64encode(line).decode("ascii")}
    except (ValueError, TypeError, KeyError):
        return {"recordId": record["recordId"], "result": "ProcessingFailed", "data": record["data"]}


def handler(event):
    return {"records": [transform_record(r) for r in event["records"]]}


def main():
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    conn = http.client.HTTPConnection(host, int(port))
    base = "/2018-06-01/runtime"
    while True:
        conn.request("GET", base + "/invocation/next")
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            return 1
        request_id = resp.getheader("Lambda-Runtime-Aws-Request-Id")
        try:
            out, path = json.dumps(handler(json.loads(body))), "/response"
        except Exception as e:  # reported to the Runtime API as the function's error
            out = json.dumps({"errorMessage": str(e), "errorType": type(e).__name__, "stackTrace": []})
            path = "/error"
        conn.request("POST", base + "/invocation/" + request_id + path, body=out.encode("utf-8"),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status >= 500:
            return 1


if __name__ == "__main__":
    sys.exit(main())
