#!/usr/bin/env bash
# Runs every Loket test on a fresh Debian 12 machine: installs what is missing, builds with
# -Werror and AddressSanitizer + UBSan, and runs all tests through CTest (unit, integration
# against the real server binary, headless UI, browser tests). Ends with CTest's summary line.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh --tests

build=build/test
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLOKET_WERROR=ON -DLOKET_SANITIZE=ON -DLOKET_TESTS=ON -DLOKET_UNITY=ON >/dev/null
cmake --build "$build" -j"$(nproc)"
# The fuzz targets: their own tree and compiler (clang-16, libFuzzer); CTest runs each for a
# bounded time as "fuzz: …" (tests/fuzz/CMakeLists.txt, docs/testing.md).
cmake -S tests/fuzz -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_C_COMPILER=clang-16 -DLOKET_UNITY=ON >/dev/null
cmake --build build/fuzz -j"$(nproc)"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 300 "$@"
