#!/bin/bash
# Which threads of loket-server do the database's I/O during loket-bench-server's disk run:
# starts the bench, attaches strace to the disk server (the first pid the bench prints), and
# sums fsync/fdatasync/pwrite64 by thread name and file. Load-independent where the bench's rates
# are not: strace slows every syscall, so read the counts, not the rates.
# Usage: bench/server/store_io_trace.sh BENCH SERVER OUTDIR [bench arguments...]
# e.g.   bench/server/store_io_trace.sh build/release/bench/server/loket-bench-server \
#            build/release/server/loket-server /tmp/trace --calls 300 --streams 10
set -euo pipefail
bench=$1 server=$2 out=$3
shift 3
mkdir -p "$out"
"$bench" --server "$server" "$@" >"$out/bench.txt" 2>&1 &
bench_pid=$!
pid=""
for _ in $(seq 1 600); do
    pid=$(grep -o 'pid [0-9]*' "$out/bench.txt" 2>/dev/null | head -1 | cut -d' ' -f2 || true)
    [ -n "$pid" ] && break
    sleep 0.1
done
[ -n "$pid" ] || { echo "the bench printed no server pid" >&2; exit 1; }
strace -f -y -T -e trace=fsync,fdatasync,pwrite64 -p "$pid" -o "$out/strace.txt" 2>"$out/strace.err" &
strace_pid=$!
# Thread names (the checkpointer is "loket-checkpt"), while the server runs.
while kill -0 "$pid" 2>/dev/null; do
    for t in /proc/"$pid"/task/*; do echo "$(basename "$t") $(cat "$t"/comm 2>/dev/null)"; done >"$out/threads.new" 2>/dev/null || true
    [ -s "$out/threads.new" ] && mv "$out/threads.new" "$out/threads.txt"
    sleep 1
done
wait "$bench_pid" || true
wait "$strace_pid" 2>/dev/null || true
grep -E 'check-ins|group commit' "$out/bench.txt" || true
python3 - "$out" "$pid" <<'PY'
import collections, re, sys
out, main = sys.argv[1], sys.argv[2]
names = dict(l.split(None, 1) for l in open(out + "/threads.txt") if len(l.split(None, 1)) == 2)
call = r"(fsync|fdatasync|pwrite64)\(\d+<([^>]*)>"
done = re.compile(r"^(\d+)\s+" + call + r"[,)].*=\s+-?\d+\s+<([\d.]+)>")
start = re.compile(r"^(\d+)\s+" + call + r".*<unfinished")
resumed = re.compile(r"^(\d+)\s+<\.\.\. (fsync|fdatasync|pwrite64) resumed>.*=\s+-?\d+\s+<([\d.]+)>")
pending, calls = {}, []
for line in open(out + "/strace.txt"):
    if m := done.match(line):
        calls.append((m[1], m[2], m[3], float(m[4])))
    elif m := start.match(line):
        pending[m[1]] = (m[2], m[3])
    elif (m := resumed.match(line)) and m[1] in pending:
        c, path = pending.pop(m[1])
        calls.append((m[1], c, path, float(m[3])))
total = collections.defaultdict(lambda: [0, 0.0, 0.0, set()])
for tid, c, path, s in calls:
    who = "main (start, stop)" if tid == main else names.get(tid, "?").strip()
    if who == "loket-server": who = "request threads"
    f = "log" if path.endswith("-wal") else "database" if path.endswith(".db") else path.rsplit("/", 1)[-1]
    t = total[(who, f, "write" if c == "pwrite64" else "sync")]
    t[0] += 1; t[1] += s; t[2] = max(t[2], s); t[3].add(tid)
print("| thread | file | call | count | threads | total | mean | max |")
for (who, f, c), (n, s, mx, tids) in sorted(total.items()):
    print(f"| {who} | {f} | {c} | {n} | {len(tids)} | {s*1000:.1f} ms | {s/n*1000:.2f} ms | {mx*1000:.1f} ms |")
PY
