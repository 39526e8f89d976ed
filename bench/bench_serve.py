"""Service benchmark: `jppint serve` under a bounded load on loopback, with 1 and 2 workers.

    python bench/bench_serve.py [--requests 2000] [--clients 8] [--workers 1 2] [--source DIR]

For each worker count a fresh `python -m jppint serve --port 0` is started
and waited for (ready: rules compiled in every worker); then `--clients`
threads, each with one keep-alive connection, send `--requests` POST
/validate in all, cycling through the invoices (the official JP PINT jp
examples from ../shared, else our samples in samples/valid/jp/). Every
answer must be 200. Printed per worker count: invoices per second, p50 and
p99 latency, the resident memory of each worker and of the server process
after the load. The load is bounded in count and time and goes to
127.0.0.1 only.

The HTTP overhead is measured on its own with one client, one request at
a time: the request's latency at the client minus the validation's time
inside the worker (`elapsed_ms` of the report). Then, for the comparison
the issue asks for, the same number of invoices through
`jppint validate --quiet --jobs N` (one process, start-up included).

The client threads share the machine with the service: on 2 cores, Python
clients, the server's event loop and the workers compete, so the figures
are a floor for the service on its own machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = ROOT.parent / "shared" / "official" / "pint-jp-1.1.3" / "jp" / "example"
_LISTENING = re.compile(r"listening on http://([^ ]+):(\d+) ")
_XML = {"Content-Type": "application/xml"}
_DEADLINE_SECONDS = 600  # the whole load of one worker count stops by itself past this


def invoices(folder: str | None) -> list[Path]:
    chosen = sorted(Path(folder).rglob("*.xml")) if folder else sorted(OFFICIAL.glob("*.xml"))
    return chosen or sorted((ROOT / "samples" / "valid" / "jp").glob("*.xml"))


class Server:
    def __init__(self, workers: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jppint", "serve", "--port", "0", "--workers", str(workers), "--queue", "64"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stderr is not None
        for line in self.process.stderr:
            found = _LISTENING.search(line)
            if found:
                self.host, self.port = found.group(1), int(found.group(2))
                break
        else:
            sys.exit("the service did not start")
        # Keep reading its log so that the pipe never fills.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/health/ready")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit("the service did not get ready")

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers={"Content-Type": "application/xml"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def memory_mb(self) -> tuple[float, list[float]]:
        """Resident memory of the server process and of each worker (its children)."""
        # Workers are started from the server's threads: read the children of each of its threads,
        # leaving out multiprocessing's resource tracker.
        children = [
            int(child)
            for task in Path(f"/proc/{self.process.pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
        workers = [child for child in sorted(children) if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()]
        return _rss_mb(self.process.pid), [_rss_mb(worker) for worker in workers]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load(server: Server, documents: list[bytes], requests: int, clients: int) -> tuple[float, list[float]]:
    """Wall seconds for `requests` validations from `clients` threads, and each request's latency."""
    latencies: list[float] = []
    failures: list[str] = []
    counter = iter(range(requests))
    lock = threading.Lock()
    stop_at = time.monotonic() + _DEADLINE_SECONDS

    def client() -> None:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            with lock:
                number = next(counter, None)
            if number is None:
                break
            started = time.perf_counter()
            connection.request("POST", "/validate", body=documents[number % len(documents)], headers=_XML)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(str(response.status))
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures or len(latencies) != requests:
        sys.exit(f"{len(failures)} failed requests ({sorted(set(failures))}), {len(latencies)} of {requests} answered")
    return wall, latencies


def overhead(server: Server, documents: list[bytes], count: int = 200) -> tuple[float, float]:
    """Median latency at the client and median validation time in the worker, one request at a time (ms)."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    at_client: list[float] = []
    in_worker: list[float] = []
    for number in range(count):
        started = time.perf_counter()
        connection.request("POST", "/validate", body=documents[number % len(documents)], headers=_XML)
        body = connection.getresponse().read()
        at_client.append((time.perf_counter() - started) * 1000)
        in_worker.append(json.loads(body)["elapsed_ms"])
    connection.close()
    return statistics.median(at_client), statistics.median(in_worker)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def command_line(paths: list[Path], count: int, jobs: int) -> float:
    """Invoices per second of `jppint validate --quiet --jobs N` on `count` copies (start-up included)."""
    with tempfile.TemporaryDirectory() as folder:
        for number in range(count):
            shutil.copyfile(paths[number % len(paths)], Path(folder) / f"{number:05d}.xml")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "jppint", "validate", "--quiet", "--jobs", str(jobs), folder],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            check=False,
            timeout=_DEADLINE_SECONDS,
        )
        return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--source", help="a folder of invoices to send (default: the official jp examples)")
    arguments = parser.parse_args()
    paths = invoices(arguments.source)
    documents = [path.read_bytes() for path in paths]
    print(f"{len(paths)} distinct invoices, {arguments.requests} requests from {arguments.clients} clients")
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    for workers in arguments.workers:
        server = Server(workers)
        try:
            load(server, documents, 50, arguments.clients)  # the first answers of each worker
            client_ms, worker_ms = overhead(server, documents)
            wall, latencies = load(server, documents, arguments.requests, arguments.clients)
            server_mb, workers_mb = server.memory_mb()
        finally:
            server.stop()
        cli = command_line(paths, arguments.requests, workers)
        print(
            f"workers {workers}: {arguments.requests / wall:6.0f} invoices/s, "
            f"p50 {percentile(latencies, 0.5) * 1000:5.1f} ms, p99 {percentile(latencies, 0.99) * 1000:5.1f} ms | "
            f"one at a time: {client_ms:.2f} ms at the client, {worker_ms:.2f} ms in the worker, "
            f"HTTP overhead {client_ms - worker_ms:.2f} ms | memory: server {server_mb:.0f} MB, "
            f"workers {', '.join(f'{mb:.0f}' for mb in workers_mb)} MB | "
            f"jppint validate --jobs {workers}: {cli:6.0f} invoices/s"
        )
    print(f"load average after: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
