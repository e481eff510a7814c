#!/usr/bin/env bash
# `comply run` end to end against /work/shared/bench/mock_openai.js, back to back with the
# do-nothing keep-alive client load_mock.js on the same mock (the ceiling a client can reach here).
# Modelled on /work/shared/bench/run_promptfoo.sh: one mock per invocation (free port, warmed up,
# stopped by PID), loopback-only network namespace, /usr/bin/time -v around each comply run.
#
#   bench/run_comply.sh [N ...]          (default N: 2000 10000)
#
# Environment (default):
#   COMPLY=/work/main/build-bench/comply   SHARED_BENCH=/work/shared/bench
#   LATENCY_MS=20 CONCURRENCY=64 RUNS=3    CEILING=1 (0: skip load_mock.js runs)
#   WORK_DIR=/tmp/comply-bench-run         RESULTS=<this dir>/results/run.jsonl (appended)
#   FORMAT=""      passed as --format when set (default: comply's default report set)
#   LABEL=""       appended to the record group (e.g. the comply build)
#   ISOLATE=1      re-run inside `unshare -n` (root) or `unshare -rn`
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${ISOLATE:-1}" = 1 ] && [ -z "${BENCH_IN_NETNS:-}" ]; then
  export BENCH_IN_NETNS=1
  if [ "$(id -u)" = 0 ]; then exec unshare -n bash "$0" "$@"; else exec unshare -rn bash "$0" "$@"; fi
fi
[ -n "${BENCH_IN_NETNS:-}" ] && ip link set lo up
COMPLY=${COMPLY:-/work/main/build-bench/comply}
SB=${SHARED_BENCH:-/work/shared/bench}
export LATENCY_MS=${LATENCY_MS:-20} CONCURRENCY=${CONCURRENCY:-64}
RUNS=${RUNS:-3} CEILING=${CEILING:-1}
WORK=${WORK_DIR:-/tmp/comply-bench-run}
RESULTS=${RESULTS:-$HERE/results/run.jsonl}
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
mkdir -p "$WORK" "$(dirname "$RESULTS")"
NS=("$@"); [ ${#NS[@]} -gt 0 ] || NS=(2000 10000)
[ -x "$COMPLY" ] || { echo "comply not found at $COMPLY" >&2; exit 2; }

http() { # METHOD URL -> body on stdout
  node -e 'const [m,u]=process.argv.slice(1);require("http").request(u,{method:m},(s)=>{let b="";
    s.on("data",(d)=>b+=d);s.on("end",()=>console.log(b))}).on("error",(e)=>{console.error(e.message);
    process.exit(1)}).end()' "$1" "$2"
}

python3 "$SB/gen_suite.py" schema --out "$WORK" > /dev/null
rm -f "$WORK/mock.port"
node "$SB/mock_openai.js" --port 0 --port-file "$WORK/mock.port" --schema "$WORK/schema.json" \
  --latency-ms "$LATENCY_MS" > "$WORK/mock.log" 2>&1 &
MOCK_PID=$!
trap 'kill "$MOCK_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$WORK/mock.port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$WORK/mock.port")"
echo "mock pid $MOCK_PID at $BASE; work dir $WORK"
echo "mock warm-up: $(node "$SB/load_mock.js" --url "$BASE" --n 5000 --concurrency "$CONCURRENCY")"

for N in "${NS[@]}"; do
  SUITE="$WORK/suite-$N"
  python3 "$SB/gen_suite.py" cases --n "$N" --out "$SUITE" --base-url "$BASE/v1" --concurrency "$CONCURRENCY" > /dev/null
  # The same prompt and schema as the promptfoo config gen_suite.py writes.
  PROMPT=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["prompts"][0]))' "$SUITE/promptfooconfig.json")
  cat > "$SUITE/suite.yaml" <<YAML
name: support-ticket
schema: schema.json
extraction: strict
prompt: $PROMPT
cases_file: cases.jsonl
YAML
  cat > "$SUITE/comply.yaml" <<YAML
suites: [suite.yaml]
endpoints:
  - name: mock
    provider: openai
    base_url: $BASE/v1
    model: mock-model
    params: {temperature: 0}
    concurrency: $CONCURRENCY
    retries: 0
run: {repeat: 1, timeout_s: 60, retries: 0}
YAML
  for r in $(seq "$RUNS"); do
    tag="$N-$r"
    rm -rf "$WORK/out-$tag"
    http POST "$BASE/stats/reset" > /dev/null
    load1=$(cut -d' ' -f1 /proc/loadavg)
    fmt=(); [ -z "${FORMAT:-}" ] || fmt=(--format "$FORMAT")
    t0=$(date +%s.%N)
    set +e
    (cd "$SUITE" && /usr/bin/time -v -o "$WORK/time-$tag.txt" "$COMPLY" run comply.yaml --no-cache \
      --out "$WORK/out-$tag" "${fmt[@]}" > "$WORK/log-$tag.txt" 2>&1)
    rc=$?
    set -e
    t1=$(date +%s.%N)
    http GET "$BASE/stats" > "$WORK/stats-$tag.json"
    ceil='{}'
    if [ "$CEILING" = 1 ]; then
      http POST "$BASE/stats/reset" > /dev/null
      ceil=$(node "$SB/load_mock.js" --url "$BASE" --n "$N" --concurrency "$CONCURRENCY")
    fi
    python3 - "$N" "$r" "$rc" "$t0" "$t1" "$WORK" "$tag" "$load1" "$ceil" "$STAMP" <<'PY' | tee -a "$RESULTS"
import json, os, re, sys
n, run, rc = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0, t1, work, tag, load1 = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7], float(sys.argv[8])
ceil, stamp = json.loads(sys.argv[9]), sys.argv[10]
conc, lat = int(os.environ["CONCURRENCY"]), float(os.environ["LATENCY_MS"])
t = open(f"{work}/time-{tag}.txt").read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
user = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1))
sys_ = float(re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
st = json.load(open(f"{work}/stats-{tag}.json"))
phase = ((st.get("last_response_ms") or 0) - (st.get("first_request_ms") or 0)) / 1000
wall = t1 - t0
records, compliant, ok = 0, 0, 0
res = f"{work}/out-{tag}/results.jsonl"
if os.path.exists(res):
    for line in open(res):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        records += 1; compliant += bool(rec.get("compliant")); ok += rec.get("status") == "ok"
label = (" " + os.environ["LABEL"]) if os.environ.get("LABEL") else ""
fmt = (" format=" + os.environ["FORMAT"]) if os.environ.get("FORMAT") else ""
out = {"group": f"comply run N={n} c={conc} lat={lat:g}ms{fmt}{label}", "stamp": stamp, "run": run,
       "cases_per_s": round(n / wall, 1), "wall_s": round(wall, 3), "efficiency": round(n / conc * lat / 1000 / wall, 4),
       "peak_rss_mb": round(rss, 1), "user_s": user, "sys_s": sys_,
       "request_phase_s": round(phase, 3), "mock_requests": st["requests"], "records": records,
       "status_ok": ok, "compliant": compliant, "mock_valid": st.get("variants", {}).get("valid"), "rc": rc,
       "load1_before": load1}
if ceil:
    out["ceiling_req_per_s"] = ceil["rps"]
    out["ratio_vs_ceiling"] = round(out["cases_per_s"] / ceil["rps"], 3)
print(json.dumps(out))
PY
  done
done
python3 "$SB/summarize.py" "$RESULTS" 2>/dev/null || true
