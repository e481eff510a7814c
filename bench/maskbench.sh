#!/bin/sh
# MaskBench agreement of comply's validator (see docs/VALIDATION.md).
#   bench/maskbench.sh [BUILD_DIR] [CORPUS_DIR]
# Builds maskbench_bench in BUILD_DIR (default build), runs it over CORPUS_DIR (default
# /work/shared/corpora/maskbench) with a 10 s per-schema bound, and writes the refused schemas
# to BUILD_DIR/maskbench-refused.txt.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
corpus=${2:-/work/shared/corpora/maskbench}
cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" -j2 --target maskbench_bench
"$build/maskbench_bench" --corpus "$corpus" --time-bound 10 --refused "$build/maskbench-refused.txt"
echo "refused schemas: $build/maskbench-refused.txt"
