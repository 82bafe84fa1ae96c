#!/usr/bin/env python3
"""Offline kiosks (issue 13): time from "server back" to 100 offline tickets in the queue.

Starts the real loket-server (fresh database, the example hall), gives the demo kiosk its
number blocks (a busy morning makes the paspoort block 99 numbers), then uploads 100 journal
entries the way the kiosk does — in batches of 25, or all in one request — and measures from the
first upload request until GET /api/v1/tickets shows them all. Prints one line per run and the
median. Usage: offline_upload_bench.py <loket-server> [runs] [batch sizes, e.g. 25,100]
"""
import json, os, secrets, socket, statistics, subprocess, sys, tempfile, time, urllib.request

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def call(port, method, path, body=None, token="demo-kiosk-token", key=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", f"Bearer {token}")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if key:
        req.add_header("Idempotency-Key", key)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def run(server, batch):
    with tempfile.TemporaryDirectory() as tmp:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        env = dict(os.environ, LOKET_CLOCK_OFFSET_S=str(9 * 3600 - int(time.time()) % 86400))
        proc = subprocess.Popen([server, "--config", os.path.join(SOURCE, "firmware-config/hall.example.toml"),
                                 "--db", os.path.join(tmp, "hall.db"), "--listen", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            for _ in range(1000):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.01)
            # A busy hour: 200 walk-ins for paspoort (then closed: they leave the queue count below).
            for i in range(200):
                call(port, "POST", "/api/v1/tickets", {"service": "paspoort"}, key=f"busy-{i}")
            leases = call(port, "POST", "/api/v1/offline/leases", {"kiosk_time": int(time.time())})
            by_service = {l["service"]: l for l in leases["leases"]}
            entries = []
            for service, n in (("paspoort", 99), ("ophalen", 1)):
                l = by_service[service]
                assert l["count"] >= n, (service, l["count"])
                for i in range(n):
                    number = f'{l["prefix"]}{l["first"] + i:03d}'
                    entries.append({"key": f'{l["id"]}-{number}', "lease": l["id"], "number": number, "service": service,
                                    "checked_in_at": int(time.time()), "visitor_code": secrets.token_urlsafe(16)})
            before = len(call(port, "GET", "/api/v1/tickets?status=waiting", token="demo-admin-token"))
            start = time.perf_counter()
            for i in range(0, len(entries), batch):
                results = call(port, "POST", "/api/v1/offline/upload", {"entries": entries[i:i + batch]})["results"]
                assert all(r["status"] == "accepted" for r in results), results
            # Every entry answered "accepted": committed and in the queue.
            answered = time.perf_counter() - start
            # Staff's list shows them (this read also computes the wait prediction for ~300 waiting).
            while len(call(port, "GET", "/api/v1/tickets?status=waiting", token="demo-admin-token")) < before + 100:
                pass
            return answered, time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait()


def main():
    server = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    batches = [int(b) for b in sys.argv[3].split(",")] if len(sys.argv) > 3 else [25, 100]
    for batch in batches:
        times = [run(server, batch) for _ in range(runs)]
        for answered, listed in times:
            print(f"batch {batch}: 100 offline tickets accepted (in the queue) after {answered * 1000:.0f} ms, "
                  f"listed by GET /tickets after {listed * 1000:.0f} ms")
        print(f"batch {batch}: median accepted {statistics.median(t[0] for t in times) * 1000:.0f} ms, "
              f"listed {statistics.median(t[1] for t in times) * 1000:.0f} ms over {runs} runs")


if __name__ == "__main__":
    main()
