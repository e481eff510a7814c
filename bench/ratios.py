#!/usr/bin/env python3
"""Medians and same-run ratios from bench/results/*.jsonl (python3 stdlib only).

  bench/ratios.py [--stamp STAMP] check.jsonl run.jsonl ...

check records: per round r, comply responses/s (whole process) divided by ajv's median-pass
responses/s (all errors, wrapped lines) and by python3-jsonschema's (all errors, wrapped) of the
same round. run records: comply cases/s divided by load_mock.js's req/s measured right after it.
Prints median (min-max) of each metric and of each ratio per group.
"""
import json
import statistics
import sys
from collections import defaultdict


def spread(xs):
    xs = sorted(xs)
    return f"{statistics.median(xs):,.3g} ({xs[0]:,.3g}-{xs[-1]:,.3g}, n={len(xs)})"


def main(argv):
    stamp = None
    if len(argv) > 1 and argv[0] == "--stamp":
        stamp, argv = argv[1], argv[2:]
    recs = []
    for path in argv:
        with open(path) as f:
            recs += [json.loads(line) for line in f if line.strip()]
    if stamp:
        recs = [r for r in recs if r.get("stamp") == stamp]
    by_stamp_run = defaultdict(dict)
    for r in recs:
        by_stamp_run[(r.get("stamp"), r["run"])][r["group"]] = r
    ratios = defaultdict(list)
    values = defaultdict(list)
    for (st, run), groups in sorted(by_stamp_run.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        comply = [g for g in groups if g.startswith("comply check") and "N=200000" in g]
        ajv = groups.get("ajv 8.20.0 all-errors wrapped")
        py = groups.get("python3-jsonschema 4.10.3 Draft7Validator all-errors wrapped")
        for g in comply:
            c = groups[g]["responses_per_s"]
            if ajv:
                ratios[f"{g} / ajv all-errors wrapped (median pass)"].append(c / ajv["responses_per_s"])
                ajv_proc = ajv["n"] * ajv["passes"] / ajv["process_s"]
                ratios[f"{g} / ajv whole process ({ajv['passes']} passes)"].append(c / ajv_proc)
            if py:
                ratios[f"{g} / python3-jsonschema all-errors wrapped"].append(c / py["responses_per_s"])
    for r in recs:
        g = r["group"]
        for k in ("responses_per_s", "process_s", "peak_rss_mb", "cases_per_s", "wall_s",
                  "request_phase_s", "user_s", "ceiling_req_per_s", "ratio_vs_ceiling", "load1_before"):
            if isinstance(r.get(k), (int, float)):
                values[(g, k)].append(float(r[k]))
    for (g, k), xs in values.items():
        print(f"{g} | {k} | {spread(xs)}")
    for name, xs in ratios.items():
        print(f"RATIO {name} | {spread(xs)}")


if __name__ == "__main__":
    main(sys.argv[1:])
