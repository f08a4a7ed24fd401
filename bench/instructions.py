"""Instructions per request, service against the one-query ceiling: a figure the machine's
noise cannot move (`make bench-instructions`, after `make bench`).

On this shared 2-core machine wrk's rps swing by a third from one round to the next. Callgrind
(valgrind) counts the instructions a request executes instead, the same from run to run within
~0.2%. Each read scenario's requests (the files the last `make bench` wrote, against its data
set, still in `conduit_bench`) are sent to the WSGI app in-process, no server and no HTTP
client, under callgrind with instrumentation switched on only around the measured requests.
Callgrind counts user-space instructions only: system calls and the time spent waiting for
MariaDB or Redis are not in the figure. It measures the Python (and C extension) work a request
costs in the worker, which is where the service and its ceiling differ.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder

from api import create_app
from bench.ceilings import one_query
from bench.scenarios import SCENARIOS, Request
from bench.servers import app_config, bench_settings

RESULTS = Path(__file__).resolve().parent / "results"
READ_SCENARIOS = [scenario.name for scenario in SCENARIOS if scenario.ceiling_requests]
SERVERS = ("service", "one_query")


def request_environs(requests_file: Path) -> list[tuple[dict, bytes]]:
    """WSGI environs (and bodies) of a scenario's request file (bench/wrk/requests.lua's format)."""
    requests = []
    for line in requests_file.read_text().splitlines():
        request = Request.from_line(line)
        headers = request.headers()
        if request.body:
            headers["Content-Type"] = "application/json"
        body = request.body.encode()
        environ = EnvironBuilder(path=request.path, method=request.method, headers=Headers(headers),
                                 data=body).get_environ()
        requests.append((environ, body))
    return requests


def send_requests(app, requests: list[tuple[dict, bytes]], count: int) -> list[str]:
    """Send `count` requests (cycling through `requests`) to the WSGI `app`; their statuses."""
    statuses = []
    for number in range(count):
        environ, body = requests[number % len(requests)]
        environ = {**environ, "wsgi.input": io.BytesIO(body)}
        response = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        getattr(response, "close", lambda: None)()
    return statuses


def build_app(server: str):
    """The service or the one-query ceiling, configured as `make bench` serves them."""
    config = app_config(bench_settings())
    if server == "service":
        return create_app(overrides=config)
    return one_query.create_app(config)


def measure_in_child(server: str, requests_file: Path, count: int, warmup: int) -> None:
    """Run under callgrind: warm up, then count `count` requests' instructions only."""
    app = build_app(server)
    requests = request_environs(requests_file)
    send_requests(app, requests, warmup)
    _instrument("on")
    statuses = send_requests(app, requests, count)
    _instrument("off")
    failed = [status for status in statuses if not status.startswith("2")]
    if failed:
        sys.exit(f"{len(failed)} of {count} requests failed, e.g. {failed[0]}: rerun `make bench` first")


def _instrument(state: str) -> None:
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], check=True, capture_output=True)


def callgrind_total(profile: str) -> int:
    """The instruction count of a callgrind output file: its "totals:" line (with instrumentation
    off at the start, the header's "summary:" reads 0)."""
    for line in reversed(profile.splitlines()):
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise ValueError("no totals in the callgrind output")


def instructions_per_request(server: str, requests_file: Path, count: int, warmup: int) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={output}",
             sys.executable, "-m", "bench.instructions", "--child", server, str(requests_file),
             "--requests", str(count), "--warmup", str(warmup)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        return callgrind_total(output.read_text()) / count


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default=",".join(READ_SCENARIOS), help="comma-separated read scenarios")
    parser.add_argument("--requests", type=int, default=100, help="measured requests per scenario and server")
    parser.add_argument("--warmup", type=int, default=50, help="requests sent before counting starts")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the bench's output (requests/ in it)")
    parser.add_argument("--child", nargs=2, metavar=("SERVER", "REQUESTS_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure_in_child(args.child[0], Path(args.child[1]), args.requests, args.warmup)
        return
    if not shutil.which("valgrind"):
        parser.exit(2, "valgrind is not installed: `make bench-instructions` installs it (apt-get install valgrind)\n")
    requests_dir = args.out / "requests"
    results = {}
    print(f"{'scenario':14s} {'service':>12s} {'one-query':>12s}  ratio   (instructions per request)")
    for name in args.scenarios.split(","):
        files = {"service": requests_dir / f"{name}.txt", "one_query": requests_dir / f"{name}.ceiling.txt"}
        if not all(path.exists() for path in files.values()):
            parser.exit(2, f"no request files for {name} in {requests_dir}: run `make bench` first\n")
        counts = {server: instructions_per_request(server, files[server], args.requests, args.warmup)
                  for server in SERVERS}
        results[name] = {**counts, "ratio": counts["one_query"] / counts["service"]}
        print(f"{name:14s} {counts['service']:12,.0f} {counts['one_query']:12,.0f}  {results[name]['ratio']:5.0%}",
              flush=True)
    (args.out / "instructions.json").write_text(json.dumps(results, indent=2))
    print(f"wrote {args.out / 'instructions.json'}")


if __name__ == "__main__":
    main()
