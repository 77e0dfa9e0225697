#!/usr/bin/python3
"""Independent check of the `cleaned` table: parse every data object of the bucket with Python's csv module
and compare with the SQLite table, row by row (values, NULLs, lineage). Usage: parse_cleaned.py BUCKET_DIR DB.
Exit 0 when equal; otherwise prints the first differences and exits 1."""
import csv
import gzip
import io
import os
import sqlite3
import sys

COLUMNS = ["id", "name", "abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]


def expected_rows(bucket):
    rows = []
    for root, _dirs, files in os.walk(bucket):
        for f in files:
            path = os.path.join(root, f)
            key = os.path.relpath(path, bucket)
            if key.startswith("processing-failed/"):
                continue
            data = open(path, "rb").read()
            if key.endswith(".gz"):
                data = gzip.decompress(data)
            reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
            for line, rec in enumerate(reader, start=1):
                assert len(rec) == len(COLUMNS), (key, line, rec)
                vals = [int(rec[0]), rec[1]] + [None if v == "" else float(v) for v in rec[2:]]
                rows.append(tuple(vals) + (key, line))
    rows.sort(key=lambda r: (r[-2], r[-1]))
    return rows


def main():
    bucket, db = sys.argv[1], sys.argv[2]
    want = expected_rows(bucket)
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    got = [tuple(r) for r in con.execute(
        "SELECT %s, object_key, line FROM cleaned ORDER BY object_key, line" % ", ".join(COLUMNS))]
    if got == want:
        print("equal: %d rows" % len(got))
        return 0
    print("DIFFERENT: python %d rows, table %d rows" % (len(want), len(got)))
    shown = 0
    for w, g in zip(want, got):
        if w != g and shown < 5:
            print("  python:", w)
            print("  table: ", g)
            shown += 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
