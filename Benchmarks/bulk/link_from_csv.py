"""The link-from-csv job written with asyncio + aiohttp, the reference for BENCHMARKS.md.

Same work as `flireo run link-from-csv --yes -c 32 FILE`: read and check every row
(UUID, E.164, duplicates), read the account's numbers and assistants in pages (8 at
once), resolve E.164 numbers, skip rows already as wanted, write the plan to a JSONL
journal (fsync'd), then POST each link 32 at a time with retries of 5xx and dropped
connections, journaling outcomes in fsync'd batches.

Usage: python3 link_from_csv.py FILE.csv JOURNAL [--concurrency 32]
Environment: FLIREO_BASE_URL, FLIREO_API_KEY.
"""
import asyncio
import csv
import json
import os
import re
import sys
import time

import aiohttp

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def read_rows(path):
    rows, problems, seen_a, seen_n = [], [], {}, {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        for row in reader:
            line = reader.line_num
            a, n = (row.get("assistant_id") or "").strip(), (row.get("phone_number") or "").strip()
            if not UUID.match(a):
                problems.append(f"{path}:{line}: bad assistant_id")
            elif not (UUID.match(n) or E164.match(n)):
                problems.append(f"{path}:{line}: bad phone_number")
            elif a in seen_a or n in seen_n:
                problems.append(f"{path}:{line}: duplicate")
            else:
                seen_a[a], seen_n[n] = line, line
                rows.append((a.lower(), n, line))
    return rows, problems


async def pages(session, base, path, each):
    async def fetch(offset):
        sep = "&" if "?" in path else "?"
        for attempt in range(5):
            try:
                async with session.get(f"{base}{path}{sep}limit=100&offset={offset}") as r:
                    if r.status >= 500 or r.status == 429:
                        await asyncio.sleep(0.2 * 2 ** attempt)
                        continue
                    return await r.json()
            except aiohttp.ClientError:
                await asyncio.sleep(0.2 * 2 ** attempt)
        raise RuntimeError(f"GET {path} failed")

    first = await fetch(0)
    each(first)
    total, step = first["meta"]["total"], len(first["data"])
    if step == 0:
        return
    offsets = list(range(step, total, step))
    gate = asyncio.Semaphore(8)

    async def one(offset):
        async with gate:
            each(await fetch(offset))

    await asyncio.gather(*(one(o) for o in offsets))


class Journal:
    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        self.buffer, self.last = [], time.monotonic()

    def write(self, record):
        self.buffer.append(json.dumps(record) + "\n")

    def sync(self, force=False):
        now = time.monotonic()
        if self.buffer and (force or len(self.buffer) >= 512 or now - self.last >= 0.2):
            os.write(self.fd, "".join(self.buffer).encode())
            os.fsync(self.fd)
            self.buffer, self.last = [], now


async def main():
    path, journal_path = sys.argv[1], sys.argv[2]
    concurrency = int(sys.argv[sys.argv.index("--concurrency") + 1]) if "--concurrency" in sys.argv else 32
    base, key = os.environ["FLIREO_BASE_URL"], os.environ["FLIREO_API_KEY"]
    rows, problems = read_rows(path)
    if problems:
        print("\n".join(problems[:100]), file=sys.stderr)
        sys.exit(1)
    numbers, current = {}, {}

    def on_numbers(page):
        for n in page["data"] + page.get("shared_numbers", []):
            numbers[n["phone_number"]] = n["id"]
            numbers[n["id"]] = n["id"]

    def on_assistants(page):
        for a in page["data"]:
            current[a["id"]] = (a.get("phone_number") or {}).get("id")

    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
        await pages(session, base, "/v1/phone-numbers?include_default=true", on_numbers)
        await pages(session, base, "/v1/assistants", on_assistants)
        plan = []
        for a, n, line in rows:
            nid = numbers.get(n)
            if nid is None or a not in current:
                problems.append(f"{path}:{line}: not in this account")
            elif current[a] != nid:
                plan.append((len(plan) + 1, a, nid, current[a]))
        if problems:
            print("\n".join(problems[:100]), file=sys.stderr)
            sys.exit(1)
        journal = Journal(journal_path)
        for seq, a, nid, before in plan:
            journal.write({"type": "plan", "seq": seq, "key": a, "before": before, "after": nid})
        journal.sync(force=True)
        done = failed = 0
        queue = iter(plan)

        async def worker():
            nonlocal done, failed
            for seq, a, nid, _ in queue:
                url = f"{base}/v1/assistants/{a}/phone-number"
                for attempt in range(4):
                    try:
                        async with session.post(url, json={"phone_number_id": nid}) as r:
                            body = await r.json(content_type=None)
                            if r.status < 300 or (r.status == 400 and body["error"]["code"] == "already_linked"):
                                done += 1
                                journal.write({"type": "outcome", "seq": seq, "outcome": "done"})
                                break
                            if r.status < 500 and r.status != 429:
                                failed += 1
                                journal.write({"type": "outcome", "seq": seq, "outcome": "failed"})
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.25 * 2 ** attempt)
                else:
                    failed += 1
                journal.sync()

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        journal.sync(force=True)
        elapsed = time.monotonic() - started
    print(f"python: {done} done, {failed} failed, links in {elapsed:.2f} s ({done / elapsed:.0f}/s)", file=sys.stderr)


asyncio.run(main())
