#!/usr/bin/env bash
# package: builds the Debian packages from the tree (a Release build of its own), checks them with
# lintian and systemd-analyze, installs them with dpkg into a scratch root, starts the INSTALLED
# server with the packaged configuration and runs the README's curl walk-through against it; then
# checks that the installed tools find their data in the installed /usr/share/loket.
#   tests/package/package_test.sh SOURCE_DIR WORK_DIR
# WORK_DIR keeps the build between runs (with ccache, a rebuild takes seconds); the installed root,
# the database and the logs are made fresh each run.
set -euo pipefail
src=$(cd "$1" && pwd)
work=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)
build=$work/build debs=$work/debs root=$work/root state=$work/state
rm -rf "$debs" "$root" "$state"
mkdir -p "$debs" "$root" "$state"

step() { printf '\n== package: %s\n' "$*"; }
fail() { printf 'package: FAILED: %s\n' "$*" >&2; exit 1; }

step "Release build (hardened, stripped on packaging)"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# Sanitizer and test settings of the calling build must not leak into the packages.
env -u ASAN_OPTIONS -u LSAN_OPTIONS -u UBSAN_OPTIONS \
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DLOKET_TESTS=OFF -DLOKET_SANITIZE=OFF \
  -DLOKET_WERROR=OFF -DLOKET_UNITY=ON -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "${launcher[@]}" >"$work/configure.log" \
  || { cat "$work/configure.log"; fail "cmake configure"; }
cmake --build "$build" -j"$(nproc)" --target loket-server loket-kiosk loket-display loket_print loket-sim \
  >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "build"; }

step "cpack -G DEB"
(cd "$build" && cpack -G DEB -B "$debs" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
rm -rf "$debs/_CPack_Packages"
packages=(loket-server loket-kiosk loket-display loket-tools loket-common)
for p in "${packages[@]}"; do
  ls "$debs"/"${p}"_*.deb >/dev/null 2>&1 || fail "no $p package in $debs"
done
ls -l "$debs"/*.deb

step "the binaries are hardened (full RELRO, bind now, PIE) and stripped"
for p in loket-server loket-kiosk loket-display loket-tools; do
  dpkg-deb -x "$debs"/"${p}"_*.deb "$work/peek-$p"
done
for bin in "$work"/peek-*/usr/bin/*; do
  headers=$(readelf -W -d -l "$bin")
  grep -q 'GNU_RELRO' <<<"$headers" || fail "$bin has no RELRO"
  grep -Eq 'BIND_NOW|FLAGS.*NOW' <<<"$headers" || fail "$bin is not linked with -z now"
  readelf -h "$bin" | grep -q 'DYN (' || fail "$bin is not PIE"
  readelf -S "$bin" | grep -q '\.symtab' && fail "$bin is not stripped"
  echo "ok: $(basename "$bin")"
done
rm -rf "$work"/peek-*

step "lintian (no errors allowed)"
lintian --fail-on error --suppress-tags-from-file /dev/null "$debs"/*.deb | tee "$work/lintian.log" \
  || fail "lintian reports errors (see above)"

step "dpkg -i into a scratch root"
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
# --force-depends: the scratch root holds no Debian base system (the host's libraries are used);
# --force-script-chrootless: the maintainer scripts run with DPKG_ROOT set, which they honour.
dpkg --root="$root" --log="$work/dpkg.log" --force-not-root --force-depends --force-script-chrootless \
  --no-triggers -i "$debs"/*.deb >"$work/dpkg-install.log" 2>&1 || { cat "$work/dpkg-install.log"; fail "dpkg -i"; }
for p in "${packages[@]}"; do
  status=$(dpkg-query --root="$root" -W -f='${db:Status-Abbrev}' "$p")
  [[ $status == ii* ]] || fail "$p is '$status' after dpkg -i, not installed"
done
conffiles=$(dpkg-query --root="$root" -W -f='${Conffiles}\n' loket-server loket-kiosk loket-display)
for f in /etc/loket/hall.toml /etc/default/loket-server /etc/loket/kiosk.toml /etc/loket/display.toml; do
  grep -q " $f " <<<"$conffiles" || fail "$f is not a conffile"
  [ -f "$root$f" ] || fail "$f was not installed"
done
for f in /usr/bin/loket-server /usr/bin/loket-kiosk /usr/bin/loket-display /usr/bin/loket-print /usr/bin/loket-sim \
         /usr/share/loket/web/counter.html /usr/share/loket/assets/lang/nl /usr/share/loket/printers/epson-tm-t88vi.toml \
         /lib/systemd/system/loket-server.service /usr/lib/systemd/user/loket-kiosk.service \
         /usr/lib/systemd/user/loket-display.service /usr/share/doc/loket-server/copyright; do
  [ -e "$root$f" ] || fail "$f is missing after installation"
done
grep -q 'demo-kiosk-token\|demo-display-token' "$root"/etc/loket/*.toml && fail "/etc/loket carries the demo tokens"

step "systemd-analyze verify (units as installed)"
if command -v systemd-analyze >/dev/null; then
  for unit in lib/systemd/system/loket-server.service usr/lib/systemd/user/loket-kiosk.service \
              usr/lib/systemd/user/loket-display.service; do
    # Every ExecStart program is installed in the scratch root...
    for exe in $(sed -n 's/^ExecStart[^=]*=[-+!@]*\([^ ]*\).*/\1/p' "$root/$unit"); do
      [ -x "$root$exe" ] || fail "$unit starts $exe, which the packages do not install"
    done
    # ...and not on this machine, which is the one complaint verify may make: any other line
    # (an unknown key, a bad value, a missing dependency) fails the test.
    out=$(systemd-analyze verify "$root/$unit" 2>&1 || true)
    rest=$(grep -v 'Command /usr/bin/loket-[a-z]* is not executable' <<<"$out" || true)
    [ -z "$rest" ] || { echo "$out"; fail "systemd-analyze verify $unit"; }
    echo "ok: $unit"
  done
else
  echo "systemd-analyze is not installed here: skipped"
fi

step "the installed server accepts the packaged configuration"
"$root/usr/bin/loket-server" --config "$root/etc/loket/hall.toml" --check-config

step "the installed server runs the README walk-through (packaged demo hall)"
# Proof that the server serves its INSTALLED pages, not the source tree's: mark the installed copy.
echo '<!-- installed by loket-server -->' >>"$root/usr/share/loket/web/counter.html"
log=$work/server.log
"$root/usr/bin/loket-server" --config "$root/usr/share/loket/examples/hall.demo.toml" --db "$state/loket.db" \
  --listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
url=""
for _ in $(seq 200); do
  url=$(sed -n 's/^loket-server: listening on \(http:[^ ]*\)$/\1/p' "$log")
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$log"; fail "the installed server stopped"; }
  sleep 0.05
done
[ -n "$url" ] || { cat "$log"; fail "the installed server did not say where it listens"; }
curl -fsS "$url/healthz" >/dev/null || fail "healthz"
curl -fsS "$url/counter" | grep -q 'installed by loket-server' || fail "/counter is not the installed page"

# The README's block, as written (curl -s, as a reader types it), with B pointing at this server.
# The event stream never ends on its own: it is read for 2 s below instead.
walk=$work/walk-through.sh
{
  echo 'set -euo pipefail'
  sed -n '/^## A visit, with curl/,/^```$/p' "$src/README.md" | sed '1,/^```sh$/d;/^```$/d' \
    | grep -v 'api/v1/events' | sed "s|^B=http://localhost:8080$|B=$url|"
} >"$walk"
grep -q "^B=$url$" "$walk" || fail "README.md's walk-through no longer starts with B=http://localhost:8080"
# Through a pipe, not straight into the file: the README's `tee /dev/stderr` reopens its stderr,
# and when that is a regular file it truncates it and writes at offset 0 over the answers before.
bash "$walk" 2>&1 | cat >"$work/walk-through.out" || { cat "$work/walk-through.out"; fail "the README walk-through"; }
out=$(cat "$work/walk-through.out")
# Both tickets issued, a visitor called and served, the day exported as CSV.
for expected in '"number":"A001"' '"number":"B001"' '"status":"called"' ',handled,'; do
  grep -qF "$expected" <<<"$out" || { echo "$out"; fail "the walk-through's answers lack $expected"; }
done
# The walk-through takes the called ticket's id from each "next" answer: any refusal at all is a
# failure of the package (or of the README).
others=$(grep -o '"error":{"code":"[a-z_]*"' <<<"$out" || true)
[ -z "$others" ] || { echo "$out"; fail "the walk-through got errors: $others"; }
events=$(curl -sN --max-time 2 "$url/api/v1/events" -H 'Authorization: Bearer demo-display-token' || true)
grep -q '^retry:\|^event:\|^data:' <<<"$events" || fail "the event stream did not open"
echo "walk-through: ok"
kill $server; wait $server || true
trap - EXIT

step "the installed tools find /usr/share/loket (run outside any source tree)"
cd "$state"
"$root/usr/bin/loket-print" render --out ticket.png --number A001 --service 'Paspoort aanvragen' \
  --url https://loket.example/v/pkgTest1 --issued '01-12-2026 10:00'
[ "$(zbarimg --raw -q ticket.png)" = "https://loket.example/v/pkgTest1" ] || fail "the installed loket-print's QR"
cp "$root/usr/share/loket/scenarios/small_town_tuesday.toml" "$root/usr/share/loket/scenarios/package_check.toml"
"$root/usr/bin/loket-sim" generate --scenario package_check --out trace.csv
[ -s trace.csv ] || fail "the installed loket-sim did not read its installed scenarios"

step "all good"
