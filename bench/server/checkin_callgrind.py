#!/usr/bin/env python3
"""Instructions per kiosk check-in, load-independent: runs loket-server under callgrind with its
database on tmpfs, sends the check-ins loket-bench-server sends (POST /api/v1/tickets with the demo
kiosk's token, an Idempotency-Key and {"service": ...}, one keep-alive connection), zeroes the
counters after a warm-up and dumps them after N check-ins. Prints instructions per check-in (all
of the server's threads, so the executor, the store and the predictor's refresher are in it too;
the refresher's share depends on timing) and the request thread's own figures, which do not, and
leaves the profile for `callgrind_annotate --inclusive=yes`.
Usage: checkin_callgrind.py <loket-server> [N=1000] [outdir=/tmp/loket-checkin-callgrind]
e.g.   bench/server/checkin_callgrind.py build/release/server/loket-server 1000
"""
import glob, http.client, json, os, re, shutil, subprocess, sys, tempfile, time

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVICES = ["paspoort", "ophalen", "rijbewijs", "verhuizing", "uittreksel", "geboorte", "overig"]
WARMUP = 50


def checkins(port, first, count):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for i in range(first, first + count):
        body = json.dumps({"service": SERVICES[i % len(SERVICES)]}, separators=(",", ":"))
        c.request("POST", "/api/v1/tickets", body=body, headers={
            "Authorization": "Bearer demo-kiosk-token", "Idempotency-Key": f"bench-0-{i}",
            "Content-Type": "application/json", "Accept": "*/*", "User-Agent": "cpp-httplib/0.11.4"})
        r = c.getresponse()
        r.read()
        if r.status != 201:
            sys.exit(f"check-in {i} answered {r.status}")
    c.close()


def total_ir(path):
    for line in open(path):
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    return 0


def inclusive(profile, functions):
    """Inclusive instructions of each function (by the start of its name) in the profile."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", profile],
                          capture_output=True, text=True, check=True).stdout
    found = dict.fromkeys(functions, 0)
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+\S*?:(.*)", line)
        if not m:
            continue
        for f in functions:
            if m.group(2).startswith(f) and not found[f]:
                found[f] = int(m.group(1).replace(",", ""))
    return found


def main():
    server = os.path.abspath(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    out = sys.argv[3] if len(sys.argv) > 3 else "/tmp/loket-checkin-callgrind"
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    db_dir = tempfile.mkdtemp(prefix="loket-cg-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/callgrind.out.%p",
           server, "--config", f"{SOURCE}/firmware-config/hall.example.toml", "--db", f"{db_dir}/bench.db",
           "--listen", "127.0.0.1:0", "--quiet"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(f"{out}/valgrind.log", "w"), text=True)
    try:
        port = 0
        for line in p.stdout:
            if "127.0.0.1:" in line:
                port = int(line.split("127.0.0.1:")[1].split()[0].rstrip("/"))
                break
        if not port:
            sys.exit("the server printed no port")
        checkins(port, 0, WARMUP)
        subprocess.run(["callgrind_control", "--zero", str(p.pid)], check=True, stdout=subprocess.DEVNULL)
        checkins(port, WARMUP, n)
        subprocess.run(["callgrind_control", "--dump=checkins", str(p.pid)], check=True, stdout=subprocess.DEVNULL)
        time.sleep(0.5)  # the dump is written by the server's process; wait for the file
        dumps = [f for f in glob.glob(f"{out}/callgrind.out.*") if not f.endswith(f"{p.pid}")]
        if not dumps:
            sys.exit("callgrind wrote no dump")
        ir = sum(total_ir(f) for f in dumps)
        print(f"{n} check-ins: {ir} instructions, {ir // n} per check-in (all threads); profile: {' '.join(sorted(dumps))}")
        # The request's own thread: everything cpp-httplib's process_request runs (reading the
        # request, routing, auth, parsing, the answer), and the executor's share inside it.
        request, executor = "httplib::Server::process_request", "loket::server::CommandExecutor::executeOnce"
        found = {f: 0 for f in (request, executor)}
        for d in dumps:
            for f, v in inclusive(d, (request, executor)).items():
                found[f] += v
        print(f"per check-in: request thread {found[request] // n}, of which the executor {found[executor] // n}, "
              f"the rest (HTTP, routing, auth, parsing, answer) {(found[request] - found[executor]) // n}")
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(db_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
