#!/usr/bin/env python3
"""Instructions per kiosk check-in, load-independent: runs loket-server under callgrind with its
database on tmpfs, sends the check-ins loket-bench-server sends (POST /api/v1/tickets with the demo
kiosk's token, an Idempotency-Key and {"service": ...}, one keep-alive connection), zeroes the
counters after a warm-up and dumps them after N check-ins. Prints instructions per check-in (all
of the server's threads, so the executor, the store and the predictor's refresher are in it too)
and leaves the profile for `callgrind_annotate --inclusive=yes`.
Usage: checkin_callgrind.py <loket-server> [N=1000] [outdir=/tmp/loket-checkin-callgrind]
e.g.   bench/server/checkin_callgrind.py build/release/server/loket-server 1000
"""
import glob, http.client, json, os, shutil, subprocess, sys, tempfile, time

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
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(db_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
