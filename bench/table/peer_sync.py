#!/usr/bin/python3
"""The peer for bench/table: the obvious Python loader — csv module + sqlite3 module — loading the same cleaned
objects into the same table layout (typed columns, lineage, the same index on (object_key, line), WAL, one transaction per object
with its manifest row; it does not maintain brewline's `latest` table), then timing the same aggregate query. Usage: peer_sync.py BUCKET_DIR DB SQL REPEAT"""
import csv
import gzip
import io
import json
import os
import sqlite3
import sys
import time

COLS = ["id", "name", "abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]


def main():
    bucket, db, sql, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE cleaned (id INTEGER NOT NULL, name TEXT NOT NULL, abv REAL, ibu REAL, target_fg REAL,"
                " target_og REAL, ebc REAL, srm REAL, ph REAL, object_key TEXT NOT NULL, line INTEGER NOT NULL)")
    con.execute("CREATE INDEX cleaned_by_object ON cleaned(object_key, line)")
    con.execute("CREATE TABLE objects (key TEXT PRIMARY KEY, size INTEGER, rows INTEGER)")
    t0 = time.perf_counter()
    c0 = time.process_time()
    keys = []
    for root, _dirs, files in os.walk(bucket):
        for f in files:
            key = os.path.relpath(os.path.join(root, f), bucket)
            if not key.startswith("processing-failed/"):
                keys.append(key)
    keys.sort()
    total = 0
    for key in keys:
        data = open(os.path.join(bucket, key), "rb").read()
        size = len(data)
        if key.endswith(".gz"):
            data = gzip.decompress(data)
        rows = []
        for line, rec in enumerate(csv.reader(io.StringIO(data.decode("utf-8"), newline="")), start=1):
            rows.append((int(rec[0]), rec[1]) + tuple(None if v == "" else float(v) for v in rec[2:]) + (key, line))
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT INTO cleaned VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.execute("INSERT INTO objects VALUES (?,?,?)", (key, size, len(rows)))
        con.execute("COMMIT")
        total += len(rows)
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    con.close()
    ms = []
    for _ in range(repeat):
        q0 = time.perf_counter()
        c = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        n = len(c.execute(sql).fetchall())
        c.close()
        ms.append((time.perf_counter() - q0) * 1000)
    ms.sort()
    print(json.dumps({"rows": total, "seconds": round(secs, 3), "cpu_seconds": round(cpu, 3), "median_ms": round(ms[len(ms) // 2], 2),
                      "min_ms": round(ms[0], 2), "result_rows": n}))


if __name__ == "__main__":
    main()
