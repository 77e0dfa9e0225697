"""Checks that a cleaned CSV (argv[2]) reads back, with Python's csv module and with pandas, to exactly the
values of the JSON dataset (argv[1]) it was made from. Prints OK and exits 0, or prints the mismatches."""
import csv
import json
import math
import sys

import pandas as pd

COLS = ["id", "name", "abv", "ibu", "target_fg", "target_og", "ebc", "srm", "ph"]
MEASURES = COLS[2:]

beers = json.load(open(sys.argv[1], encoding="utf-8"))
errors = []

with open(sys.argv[2], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
if len(rows) != len(beers):
    errors.append(f"csv: {len(rows)} rows, {len(beers)} beers")
for row, beer in zip(rows, beers):
    if len(row) != 9:
        errors.append(f"csv: id {beer['id']}: {len(row)} fields")
        continue
    if int(row[0]) != beer["id"] or row[1] != beer["name"]:
        errors.append(f"csv: id {beer['id']}: id/name {row[:2]!r}")
    for col, text in zip(MEASURES, row[2:]):
        want = beer.get(col)
        got = None if text == "" else float(text)
        if got != want:
            errors.append(f"csv: id {beer['id']} {col}: {text!r} != {want!r}")

for precision in (None, "round_trip"):
    df = pd.read_csv(sys.argv[2], header=None, names=COLS, keep_default_na=False, na_values=[""],
                     dtype={"name": str}, encoding="utf-8", float_precision=precision)
    if len(df) != len(beers):
        errors.append(f"pandas: {len(df)} rows")
    for (_, r), beer in zip(df.iterrows(), beers):
        if int(r["id"]) != beer["id"] or r["name"] != beer["name"]:
            errors.append(f"pandas[{precision}]: id {beer['id']}: {r['id']!r} {r['name']!r}")
        for col in MEASURES:
            want, got = beer.get(col), r[col]
            if want is None:
                if not (isinstance(got, float) and math.isnan(got)):
                    errors.append(f"pandas[{precision}]: id {beer['id']} {col}: {got!r} != None")
            elif float(got) != want:
                errors.append(f"pandas[{precision}]: id {beer['id']} {col}: {got!r} != {want!r}")

if errors:
    print("\n".join(errors[:50]))
    sys.exit(1)
print(f"OK {len(beers)} beers")
