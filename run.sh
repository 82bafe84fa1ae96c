#!/usr/bin/env bash
# Runs the hall on this machine: installs what is missing (Debian 12, apt-get), builds, and starts
# the hall server on http://localhost:8080 with its SQLite database under ./var/ and the demo hall
# (firmware-config/hall.example.toml), plus one kiosk and one hall display beside it — in windows
# on a desktop, or headless (their screens written to var/screens/) where there is no display.
# Stop everything with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-deps.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLOKET_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"

mkdir -p var/screens
config="${LOKET_CONFIG:-firmware-config/hall.example.toml}"
listen="${LOKET_LISTEN:-127.0.0.1:8080}"
url="http://${listen/0.0.0.0/localhost}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

./build/server/loket-server --config "$config" --db var/loket.db --listen "$listen" 2>>var/server.log &
pids+=($!)
for _ in $(seq 50); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$url/healthz" >/dev/null || { echo "loket: the server did not start; see var/server.log" >&2; tail -5 var/server.log >&2; exit 1; }

headless=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then headless=(--headless); fi
# The display's clock shows the hall's time.
hall_tz=$(sed -n 's/^timezone *= *"\(.*\)".*/\1/p' "$config" | head -1)
if [ -x build/display/loket-display ]; then
  TZ="${hall_tz:-Europe/Amsterdam}" ./build/display/loket-display --config firmware-config/display.example.toml \
    --server "$url" "${headless[@]}" ${headless:+--screenshots var/screens/display} >>var/display.log 2>&1 &
  pids+=($!)
fi
# The kiosk prints to files (var/print/: the exact printer bytes and a PNG of each ticket).
kiosk_mode=(--windowed); [ ${#headless[@]} -gt 0 ] && kiosk_mode=(--headless --screens-dir var/screens/kiosk)
if [ -x build/kiosk/loket-kiosk ]; then
  mkdir -p var/print
  ./build/kiosk/loket-kiosk --config firmware-config/kiosk.example.toml --server "$url" --printer file:var/print/ \
    "${kiosk_mode[@]}" >>var/kiosk.log 2>&1 &
  pids+=($!)
fi

cat <<INFO

  Loket runs: $url   (logs in var/*.log, printed tickets in var/print/${headless:+, screens in var/screens/})

  Counter console  $url/counter     log in: demo / demo-demo-demo
  Dashboard        $url/dashboard   log in: beheer / demo-demo-demo
  API              kiosk token demo-kiosk-token, display demo-display-token, admin demo-admin-token

  These are the published DEMO credentials. Press Ctrl-C to stop.

INFO
wait "${pids[0]}"
