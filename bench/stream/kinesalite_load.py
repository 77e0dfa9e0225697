"""Load generator for kinesalite (the npm Kinesis emulator), mirroring stream_bench: PutRecords batches of 500
~2 KB beer records from several threads over HTTP (JSON 1.1, as the AWS SDKs send it), then GetRecords of
every shard. Prints one JSON object like stream_bench. Run with /usr/bin/python3 (stdlib only)."""
import base64, json, sys, threading, time, urllib.request

port, beers_path, shards, records, producers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
url = f"http://127.0.0.1:{port}/"
name = f"bench{shards}"


def call(op, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"Kinesis_20131202.{op}",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=x",
        "X-Amz-Date": "20260101T000000Z"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}")


beers = [json.dumps(b, separators=(",", ":")) for b in json.load(open(beers_path))]
call("CreateStream", {"StreamName": name, "ShardCount": shards})
while call("DescribeStream", {"StreamName": name})["StreamDescription"]["StreamStatus"] != "ACTIVE":
    time.sleep(0.05)

lock = threading.Lock()
state = {"next": 0, "bytes": 0}
lat = []


def producer():
    while True:
        with lock:
            start = state["next"]
            state["next"] += 500
        if start >= records:
            return
        n = min(500, records - start)
        recs, b = [], 0
        for i in range(start, start + n):
            d = beers[i % len(beers)].encode()
            b += len(d)
            recs.append({"PartitionKey": f"beer-{i}", "Data": base64.b64encode(d).decode()})
        t = time.perf_counter()
        out = call("PutRecords", {"StreamName": name, "Records": recs})
        dt = (time.perf_counter() - t) * 1000
        if out.get("FailedRecordCount", 0):
            sys.exit("failed records")
        with lock:
            lat.append(dt)
            state["bytes"] += b


t0 = time.perf_counter()
ts = [threading.Thread(target=producer) for _ in range(producers)]
for t in ts: t.start()
for t in ts: t.join()
put_s = time.perf_counter() - t0
lat.sort()

g0 = time.perf_counter()
got = got_bytes = 0
for sh in call("ListShards", {"StreamName": name})["Shards"]:
    it = call("GetShardIterator", {"StreamName": name, "ShardId": sh["ShardId"], "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
    while True:
        r = call("GetRecords", {"ShardIterator": it, "Limit": 10000})
        if not r["Records"]:
            break
        got += len(r["Records"])
        got_bytes += sum(len(base64.b64decode(x["Data"])) for x in r["Records"])
        it = r["NextShardIterator"]
get_s = time.perf_counter() - g0
pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print(json.dumps({"put_rps": records / put_s, "put_mbps": state["bytes"] / put_s / 1e6, "p50_ms": pct(0.5),
                  "p99_ms": pct(0.99), "get_rps": got / get_s, "get_mbps": got_bytes / get_s / 1e6,
                  "avg_bytes": state["bytes"] / records, "read": got}))
