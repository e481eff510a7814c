#!/usr/bin/env bash
# `comply check` throughput against the validation-only peers (ajv, python3-jsonschema), back to
# back in one invocation. Each round: comply check on the wrapped corpus under /usr/bin/time -v
# (responses/s over the whole process, peak RSS), then one round of the peers through
# /work/shared/bench/run_validate.sh (all errors; plain and wrapped lines). Optionally one comply
# run on a BIG_N-line corpus for peak RSS (flat memory).
#
#   bench/run_check.sh                  (N=200000, RUNS=3)
#
# Environment (default):
#   COMPLY=/work/main/build-bench/comply   Release build of comply
#   SHARED_BENCH=/work/shared/bench        gen_suite.py, run_validate.sh
#   ANCHORS_DIR=/work/anchors              holds ajv/node_modules (setup_anchors.sh); PEERS=0 skips peers
#   LABEL=release (names the comply build in the records)
#   N=200000 RUNS=3 BIG_N=1000000 (0 skips) BIG_RUNS=1
#   WORK_DIR=/tmp/comply-bench-check       corpora, outputs, time logs (never in the repo)
#   RESULTS=<this dir>/results/check.jsonl one JSON record per run is appended
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
COMPLY=${COMPLY:-/work/main/build-bench/comply}
SB=${SHARED_BENCH:-/work/shared/bench}
export ANCHORS_DIR=${ANCHORS_DIR:-/work/anchors}
LABEL=${LABEL:-release} N=${N:-200000} RUNS=${RUNS:-3} BIG_N=${BIG_N:-1000000} BIG_RUNS=${BIG_RUNS:-1} PEERS=${PEERS:-1}
WORK=${WORK_DIR:-/tmp/comply-bench-check}
RESULTS=${RESULTS:-$HERE/results/check.jsonl}
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$WORK" "$(dirname "$RESULTS")"
[ -x "$COMPLY" ] || { echo "comply not found at $COMPLY" >&2; exit 2; }

python3 "$SB/gen_suite.py" schema --out "$WORK" > /dev/null
corpus() { # N -> path of the wrapped corpus (generated once)
  local f="$WORK/responses-$1.wrapped.jsonl"
  [ -s "$f" ] || { python3 "$SB/gen_suite.py" responses --n "$1" --out "$f.tmp" --wrap > /dev/null && mv "$f.tmp" "$f"; }
  echo "$f"
}

one_comply() { # N RUN LABEL
  local n=$1 run=$2 label=$3 file out tfile load1 rc
  file=$(corpus "$n"); out="$WORK/out-$label-$n-$run"; tfile="$WORK/time-comply-$label-$n-$run.txt"
  rm -rf "$out"
  load1=$(cut -d' ' -f1 /proc/loadavg)
  set +e
  /usr/bin/time -v -o "$tfile" "$COMPLY" check --schema "$WORK/schema.json" "$file" --out "$out" \
    > "$WORK/log-comply-$label-$n-$run.txt" 2>&1
  rc=$?
  set -e
  python3 - "$tfile" "$n" "$run" "$rc" "$load1" "$out" "$(wc -c < "$file")" "$STAMP" "$label" <<'PY' | tee -a "$RESULTS"
import json, os, re, sys
tfile, n, run, rc, load1, out, nbytes, stamp, label = sys.argv[1:10]
t = open(tfile).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
n = int(n)
lines = 0
res = os.path.join(out, "results.jsonl")
if os.path.exists(res):
    with open(res, "rb") as f:
        lines = sum(1 for _ in f)
print(json.dumps({"group": f"comply check {label} wrapped N={n}", "stamp": stamp, "run": int(run), "exit": int(rc),
    "responses_per_s": round(n / wall), "process_s": round(wall, 2), "user_s": user, "sys_s": sys_,
    "mb_per_s": round(int(nbytes) / wall / 1e6, 1), "peak_rss_mb": round(rss, 1),
    "records": lines, "n": n, "load1_before": float(load1)}))
PY
}

for r in $(seq "$RUNS"); do
  one_comply "$N" "$r" "$LABEL"
  if [ "$PEERS" = 1 ]; then
    corpus "$N" > /dev/null
    # run_validate.sh reuses the corpus in WORK; its per-run records go to $WORK/peers-$r/results.jsonl
    mkdir -p "$WORK/peers-$r"; rm -f "$WORK/peers-$r/results.jsonl"  # only this round's records
    for f in responses-$N.wrapped.jsonl schema.json; do ln -sf "$WORK/$f" "$WORK/peers-$r/$f"; done
    [ -s "$WORK/responses-$N.jsonl" ] || { python3 "$SB/gen_suite.py" responses --n "$N" --out "$WORK/responses-$N.jsonl.tmp" > /dev/null && mv "$WORK/responses-$N.jsonl.tmp" "$WORK/responses-$N.jsonl"; }
    ln -sf "$WORK/responses-$N.jsonl" "$WORK/peers-$r/responses-$N.jsonl"
    WORK_DIR="$WORK/peers-$r" RUNS=1 MODES=all-errors WRAPPED=1 "$SB/run_validate.sh" "$N" > "$WORK/peers-$r.log" 2>&1
    python3 - "$WORK/peers-$r/results.jsonl" "$r" "$STAMP" <<'PY' | tee -a "$RESULTS"
import json, sys
for line in open(sys.argv[1]):
    rec = json.loads(line); rec["run"] = int(sys.argv[2]); rec["stamp"] = sys.argv[3]; print(json.dumps(rec))
PY
  fi
done
if [ "$BIG_N" != 0 ]; then
  for r in $(seq "$BIG_RUNS"); do one_comply "$BIG_N" "$r" "$LABEL"; done
fi
python3 "$SB/summarize.py" "$RESULTS" 2>/dev/null || true
