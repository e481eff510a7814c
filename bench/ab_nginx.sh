#!/usr/bin/env bash
# Interleaved A/B of comply binaries against the nginx fixed-latency endpoint: the same suite as
# bench/run_nginx.sh at one concurrency, each binary run in turn RUNS times, wall / user / sys
# of each run printed (no wrk: compare the binaries with each other, in the same minutes).
#
#   bench/ab_nginx.sh LABEL=BINARY [LABEL=BINARY ...]
#   e.g. RUNS=5 bench/ab_nginx.sh old=/tmp/comply-final9 new=/tmp/comply-final11
#
# Environment (default): C=1024 ROUNDS=100 RUNS=3 LATENCY_S=0.05 SHARED_BENCH=/work/shared/bench
#   WORK_DIR=/tmp/comply-ab-nginx. Loopback-only network namespace, as run_nginx.sh.
set -euo pipefail
if [ -z "${BENCH_IN_NETNS:-}" ]; then
  export BENCH_IN_NETNS=1
  if [ "$(id -u)" = 0 ]; then exec unshare -n bash "$0" "$@"; else exec unshare -rn bash "$0" "$@"; fi
fi
ip link set lo up
SB=${SHARED_BENCH:-/work/shared/bench}
C=${C:-1024} ROUNDS=${ROUNDS:-100} RUNS=${RUNS:-3} LATENCY_S=${LATENCY_S:-0.05}
WORK=${WORK_DIR:-/tmp/comply-ab-nginx}
PORT=${PORT:-18080}
mkdir -p "$WORK"
"$SB/nginx_mock.sh" start "$PORT" "$LATENCY_S" "$WORK/nginx" > /dev/null
trap '"$SB/nginx_mock.sh" stop "$WORK/nginx" || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -sf "$BASE/health" > /dev/null && break; sleep 0.05; done
SUITE="$WORK/suite-$C"
if [ ! -f "$SUITE/comply.yaml" ]; then
  python3 "$SB/gen_suite.py" schema --out "$WORK" > /dev/null
  python3 "$SB/gen_suite.py" cases --n $((C * ROUNDS)) --out "$SUITE" --base-url "$BASE/v1" > /dev/null
  printf 'name: support-ticket\nschema: schema.json\nextraction: strict\nprompt: "Extract the support ticket:\\n{{ticket}}"\ncases_file: cases.jsonl\n' > "$SUITE/suite.yaml"
  printf 'suites: [suite.yaml]\nendpoints:\n  - name: nginx\n    provider: openai\n    base_url: %s/v1\n    model: mock-model\n    concurrency: %s\n    retries: 0\nrun: {repeat: 1, timeout_s: 60, retries: 0, concurrency: %s}\n' "$BASE" "$C" "$C" > "$SUITE/comply.yaml"
fi
cd "$SUITE"
for r in $(seq "$RUNS"); do
  for spec in "$@"; do
    label=${spec%%=*} bin=${spec#*=}
    rm -rf "$WORK/out"
    sync
    /usr/bin/time -f "$label run $r: %e s wall, %U s user, %S s sys" -o "$WORK/time.txt" \
      "$bin" run comply.yaml --no-cache --out "$WORK/out" --format json > /dev/null 2>&1 || true
    echo "$(cat "$WORK/time.txt"), $(wc -l < "$WORK/out/results.jsonl") records"
  done
done
