#!/usr/bin/env bash
# Runs one fuzz target as a test: first every committed regression input (each must pass), then
# fuzzing from the seed corpus for LOKET_FUZZ_SECONDS (default 12). A crash leaves its input in
# the test's scratch directory and the test fails; commit it under regressions/<target>/ with the fix.
set -euo pipefail
binary=$1 source=$2 target=$3
if [[ ! -x $binary ]]; then
  echo "$binary is missing: build the fuzz tree first (./test.sh does; see docs/testing.md)" >&2
  exit 1
fi
# libFuzzer reports leaks itself; the test tree's ASAN_OPTIONS must not stop it at the first one.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
unset LSAN_OPTIONS
scratch=$(mktemp -d "${TMPDIR:-/tmp}/loket-fuzz-$target.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
if compgen -G "$source/regressions/$target/*" >/dev/null; then
  "$binary" -runs=0 "$source"/regressions/"$target"/* 2>"$scratch/regressions.log" || { cat "$scratch/regressions.log" >&2; exit 1; }
fi
mkdir -p "$scratch/corpus"
cp -r "$source/corpus/$target/." "$scratch/corpus/"
if ! "$binary" -max_total_time="${LOKET_FUZZ_SECONDS:-12}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
     -artifact_prefix="$scratch/" -print_final_stats=1 "$scratch/corpus" 2>"$scratch/fuzz.log"; then
  tail -60 "$scratch/fuzz.log" >&2
  for a in "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$scratch"/oom-*; do
    [[ -e $a ]] && { mkdir -p "${LOKET_FUZZ_ARTIFACTS:-/tmp/loket-fuzz-artifacts}"; cp "$a" "${LOKET_FUZZ_ARTIFACTS:-/tmp/loket-fuzz-artifacts}/$target-$(basename "$a")"; echo "input kept: ${LOKET_FUZZ_ARTIFACTS:-/tmp/loket-fuzz-artifacts}/$target-$(basename "$a")" >&2; }
  done
  exit 1
fi
grep -E "stat::number_of_executed_units|cov:" "$scratch/fuzz.log" | tail -2
