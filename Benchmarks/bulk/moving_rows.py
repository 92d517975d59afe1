#!/usr/bin/env python3
"""Writes WORK/rows.csv: every assistant of WORK/export.csv (export-links' output) onto a
free custom number of the account, read from the API. Used by memory.sh and
journal_memory.sh.

Usage: Benchmarks/bulk/moving_rows.py WORK BASE_URL API_KEY
"""
import csv, json, sys, urllib.request

work, url, key = sys.argv[1:4]
assistants = [row["assistant_id"] for row in csv.DictReader(open(f"{work}/export.csv", newline=""))]
free, offset = [], 0
while len(free) < len(assistants):
    request = urllib.request.Request(f"{url}/v1/phone-numbers?limit=100&offset={offset}",
                                     headers={"Authorization": "Bearer " + key})
    page = json.load(urllib.request.urlopen(request))
    free += [n["id"] for n in page["data"] if n["available"]]
    offset += len(page["data"])
    if not page["data"]:
        break
with open(f"{work}/rows.csv", "w") as f:
    f.write("assistant_id,phone_number\n")
    for a, n in zip(assistants, free):
        f.write(f"{a},{n}\n")
