#!/usr/bin/env bash
# `comply run` against the nginx + echo fixed-latency endpoint (/work/shared/bench/nginx_mock.sh),
# which is never the bottleneck, back to back with wrk at the same concurrency. Per concurrency C:
# N = C x ROUNDS cases (ideal wall N/C x LATENCY), RUNS comply runs and RUNS wrk runs (interleaved).
# Loopback-only network namespace. Needs Debian nginx-light, libnginx-mod-http-echo, wrk.
#
# ROUNDS defaults to 100, so comply's ideal request phase (100 x 50 ms = 5 s) lasts as long as
# wrk's measurement (WRK_S=5): comply's fixed costs per run (connection ramp-up, the last
# round, writing reports) weigh on a 5 s run as wrk's own ramp-up weighs on its 5 s. Figures
# up to 2026-11-28 04:00 UTC used ROUNDS=40 (2 s runs; their group names say N = 40 x C).
# comply's whole-process wall time is what is divided, start-up included. `sync` runs before
# each comply run (from 2026-11-29 06:00 UTC): before, the previous runs' results were still
# being written back to disk during the next measurement.
#
#   bench/run_nginx.sh [C ...]          (default C: 64 256 1024)
#
# Environment (default): COMPLY=/work/main/build-bench/comply SHARED_BENCH=/work/shared/bench
#   LATENCY_S=0.05 ROUNDS=100 RUNS=3 WRK_S=5 FORMAT=json (comply --format) LABEL=""
#   WORK_DIR=/tmp/comply-bench-nginx RESULTS=<this dir>/results/nginx.jsonl ISOLATE=1
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${ISOLATE:-1}" = 1 ] && [ -z "${BENCH_IN_NETNS:-}" ]; then
  export BENCH_IN_NETNS=1
  if [ "$(id -u)" = 0 ]; then exec unshare -n bash "$0" "$@"; else exec unshare -rn bash "$0" "$@"; fi
fi
[ -n "${BENCH_IN_NETNS:-}" ] && ip link set lo up
ulimit -n 65536 2>/dev/null || true
COMPLY=${COMPLY:-/work/main/build-bench/comply}
SB=${SHARED_BENCH:-/work/shared/bench}
LATENCY_S=${LATENCY_S:-0.05} ROUNDS=${ROUNDS:-100} RUNS=${RUNS:-3} WRK_S=${WRK_S:-5} FORMAT=${FORMAT:-json}
WORK=${WORK_DIR:-/tmp/comply-bench-nginx}
RESULTS=${RESULTS:-$HERE/results/nginx.jsonl}
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
CS=("$@"); [ ${#CS[@]} -gt 0 ] || CS=(64 256 1024)
mkdir -p "$WORK" "$(dirname "$RESULTS")"
PORT=${PORT:-18080}
"$SB/nginx_mock.sh" start "$PORT" "$LATENCY_S" "$WORK/nginx" > /dev/null
trap '"$SB/nginx_mock.sh" stop "$WORK/nginx" || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/health" > /dev/null && break; sleep 0.05; done
cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"mock-model","messages":[{"role":"user","content":"hello"}]}'
LUA
python3 "$SB/gen_suite.py" schema --out "$WORK" > /dev/null
for C in "${CS[@]}"; do
  N=$((C * ROUNDS)); SUITE="$WORK/suite-$C"
  python3 "$SB/gen_suite.py" cases --n "$N" --out "$SUITE" --base-url "$BASE/v1" > /dev/null
  printf 'name: support-ticket\nschema: schema.json\nextraction: strict\nprompt: "Extract the support ticket:\\n{{ticket}}"\ncases_file: cases.jsonl\n' > "$SUITE/suite.yaml"
  printf 'suites: [suite.yaml]\nendpoints:\n  - name: nginx\n    provider: openai\n    base_url: %s/v1\n    model: mock-model\n    concurrency: %s\n    retries: 0\nrun: {repeat: 1, timeout_s: 60, retries: 0, concurrency: %s}\n' "$BASE" "$C" "$C" > "$SUITE/comply.yaml"
  for r in $(seq "$RUNS"); do
    rm -rf "$WORK/out-$C-$r"
    # Earlier runs' results (120 MB at c=1,024) are written back to disk ~30 s later, by kernel
    # threads, in the middle of a later measurement: flush them first (wrk writes nothing).
    sync
    load1=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(date +%s.%N)
    set +e
    (cd "$SUITE" && /usr/bin/time -v -o "$WORK/time-$C-$r.txt" "$COMPLY" run comply.yaml --no-cache \
      --out "$WORK/out-$C-$r" --format "$FORMAT" > "$WORK/log-$C-$r.txt" 2>&1)
    rc=$?
    set -e
    t1=$(date +%s.%N)
    wrk -t2 -c"$C" -d"${WRK_S}s" --timeout 10s -s "$WORK/post.lua" "$BASE/v1/chat/completions" > "$WORK/wrk-$C-$r.txt" 2>&1 || true
    python3 - "$C" "$N" "$r" "$rc" "$t0" "$t1" "$WORK" "$load1" "$STAMP" <<'PY' | tee -a "$RESULTS"
import json, os, re, sys
c, n, run, rc = map(int, sys.argv[1:5]); t0, t1 = float(sys.argv[5]), float(sys.argv[6])
work, load1, stamp = sys.argv[7], float(sys.argv[8]), sys.argv[9]
lat = float(os.environ.get("LATENCY_S", "0.05"))
t = open(f"{work}/time-{c}-{run}.txt").read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
sys_s = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
w = open(f"{work}/wrk-{c}-{run}.txt").read()
m = re.search(r"Requests/sec:\s+([\d.]+)", w)
wrk_rps = float(m.group(1)) if m else None
records = ok = 0
res = f"{work}/out-{c}-{run}/results.jsonl"
if os.path.exists(res):
    for line in open(res):
        try: rec = json.loads(line)
        except ValueError: continue
        records += 1; ok += rec.get("status") == "ok"
wall = t1 - t0
label = (" " + os.environ["LABEL"]) if os.environ.get("LABEL") else ""
out = {"group": f"comply run nginx lat={lat:g}s c={c} N={n}{label}", "stamp": stamp, "run": run,
       "cases_per_s": round(n / wall, 1), "wall_s": round(wall, 3), "ideal_s": round(n / c * lat, 3),
       "wrk_req_per_s": wrk_rps, "ratio_vs_wrk": round(n / wall / wrk_rps, 3) if wrk_rps else None,
       "peak_rss_mb": round(rss, 1), "user_s": user, "sys_s": sys_s, "records": records, "status_ok": ok, "rc": rc,
       "load1_before": load1}
print(json.dumps(out))
PY
  done
done
