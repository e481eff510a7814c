#!/usr/bin/env bash
# The demo: installs what is needed, builds comply, starts the simulated endpoints (the mock's
# "large-prompted" and "small-finetuned" profiles) on loopback, runs every bundled suite against
# both with repeat 3, prints where the reports are and the headline comparison, stops the mock.
# No API key, no network: the endpoints are simulated.
#   scripts/demo.sh [extra `comply run` flags, e.g. --limit 10]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCOMPLY_BUILD_TESTS=OFF -DCOMPLY_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"$(nproc)" --target comply

port_file=$(mktemp)
./build/comply mock-endpoint --config suites/demo.yaml --port 0 --port-file "$port_file" >/dev/null &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 1 100); do [[ -s "$port_file" ]] && break; sleep 0.1; done
if [[ ! -s "$port_file" ]]; then echo "demo: the mock endpoint did not start" >&2; exit 3; fi
export COMPLY_MOCK_URL="http://127.0.0.1:$(cat "$port_file")"
echo "demo: simulated endpoints at $COMPLY_MOCK_URL (profiles large-prompted, small-finetuned)"

out="runs/demo-$(date -u +%Y%m%dT%H%M%SZ)"
set +e
./build/comply run suites/demo.yaml --out "$out" --no-cache "$@"
rc=$?
set -e
echo
echo "demo: reports in $root/$out: report.html, results.csv, summary.csv, junit.xml, summary.md"
exit $rc
