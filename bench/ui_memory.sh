#!/usr/bin/env bash
# Idle memory and CPU of loket-kiosk and loket-display, measured in the same run against one
# loket-server (temporary database): VmRSS after the programs settled, VmHWM (the start-up peak),
# CPU ticks (utime + stime from /proc/<pid>/stat) over an idle window, and where the resident
# memory lies (/proc/<pid>/smaps: shared libraries, heap, other anonymous memory).
# Usage: bench/ui_memory.sh BUILD_DIR [IDLE_SECONDS]   (LOKET_SERVER=path: another loket-server binary)
# docs/benchmarks.md quotes its output.
set -euo pipefail
build=${1:?usage: bench/ui_memory.sh BUILD_DIR [IDLE_SECONDS]}
idle=${2:-20}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"${LOKET_SERVER:-$build/server/loket-server}" --config firmware-config/hall.example.toml --db "$work/loket.db" --listen "127.0.0.1:$port" \
  >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
"$build/display/loket-display" --config firmware-config/display.example.toml --server "$url" --headless \
  --screenshots "$work/display" >"$work/display.log" 2>&1 &
display=$!; pids+=($display)
mkdir -p "$work/print"
"$build/kiosk/loket-kiosk" --config firmware-config/kiosk.example.toml --server "$url" --printer "file:$work/print/" \
  --headless --screens-dir "$work/kiosk" >"$work/kiosk.log" 2>&1 &
kiosk=$!; pids+=($kiosk)

sleep 8   # start-up: fonts, the first frames, the first snapshot
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
d0=$(ticks $display); k0=$(ticks $kiosk)
sleep "$idle"
d1=$(ticks $display); k1=$(ticks $kiosk)
hz=$(getconf CLK_TCK)

report() {
  local name=$1 pid=$2 t0=$3 t1=$4
  local rss hwm
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  printf '%-14s RSS %6.1f MB  peak %6.1f MB  idle CPU %5.2f %% (%d ticks in %d s)\n' "$name" \
    "$(echo "$rss / 1000" | bc -l)" "$(echo "$hwm / 1000" | bc -l)" \
    "$(echo "($t1 - $t0) * 100 / ($hz * $idle)" | bc -l)" $((t1 - t0)) "$idle"
  awk -v name="$name" '
    /^[0-9a-f]+-[0-9a-f]+ / { path = $6; kind = (path ~ /\.so/ ? "libraries" : path == "[heap]" ? "heap" : path == "" ? "anonymous" : path ~ /^\[stack/ ? "stack" : path ~ /^\// ? "program and other files" : "other") }
    /^Rss:/ { kb[kind] += $2 }
    END { printf "  %s by kind:", name; for (k in kb) printf "  %s %.1f MB", k, kb[k] / 1000; printf "\n" }' "/proc/$pid/smaps"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
report loket-display "$display" "$d0" "$d1"
report loket-kiosk "$kiosk" "$k0" "$k1"
