"""Run wrk against one server with one scenario's request file, and read its figures."""

import json
import resource
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk" / "requests.lua"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def allow_connections(connections: int) -> None:
    """Make room for `connections` sockets in wrk and in each gunicorn worker (both children of
    this process, so both inherit its limit): under a soft limit of 1,024 open files, a common
    default, an overload run would count sockets wrk could not open as the service's errors.
    (gunicorn's own bounds are far: a listen backlog of 2,048 and 1,000 connections per gthread
    worker.)"""
    needed = connections + 256  # wrk's and gunicorn's other files, the pools' MariaDB sockets
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise RuntimeError(f"{connections} connections need {needed} open files; the hard limit is {hard}"
                           " (raise it with ulimit -Hn, as root)")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def run_wrk(base_url: str, requests_file: Path, *, seconds: int, connections: int = 16, threads: int = 2,
            timeout: int = 5) -> dict:
    """Load `base_url` for `seconds` (whole seconds: wrk's unit); returns rps, latencies (ms),
    non-2xx and socket errors (a request unanswered after `timeout` seconds is one)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout}s",
               "-s", str(SCRIPT), base_url, "--", str(requests_file)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    figures = json.loads([line for line in finished.stdout.splitlines() if line.startswith("{")][-1])
    seconds_run = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "seconds": round(seconds_run, 3),
        "rps": round(figures["requests"] / seconds_run, 1),
        "p50_ms": figures["p50_us"] / 1000,
        "p90_ms": figures["p90_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        # wrk counts a status of 400 or more; the scenarios expect 2xx only, so these are all unexpected.
        "non_2xx": figures["status_errors"],
        "errors": sum(figures[key] for key in ("errors_connect", "errors_read", "errors_write", "errors_timeout")),
    }


def wait_until_idle(base_url: str, *, probe: str = "/api/tags", quick_seconds: float = 0.2,
                    timeout: float = 120) -> None:
    """Return once `base_url` answers a cheap request quickly three times in a row.

    When wrk stops, the requests its connections left queued in gunicorn are still served (a
    worker learns the client is gone only when it writes the answer): 512 of them are seconds
    of work, which the next run would otherwise spend its first seconds waiting behind. Each
    probe, on a new connection, queues behind them too."""
    deadline, quick = time.monotonic() + timeout, 0
    while quick < 3:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base_url} still busy {timeout} s after a run")
        started = time.monotonic()
        with urllib.request.urlopen(base_url + probe, timeout=timeout) as response:
            response.read()
        quick = quick + 1 if time.monotonic() - started < quick_seconds else 0


def merge_rounds(rounds: list[dict]) -> dict:
    """One server's figures over several interleaved rounds: rps and latencies are the median
    round's, the worst max, errors summed; totals and each round's rps are kept beside them.

    The median, not all requests over all seconds: on this shared machine a burst of outside
    load now and then halves one round of whichever server runs then. With rounds interleaved,
    the median of each server's rounds drops such a round, for the service and the ceilings
    alike, where a total would charge it to one of them. (wrk gives percentiles, not samples,
    so latencies could not be pooled exactly anyway.)"""
    def median(key: str) -> float:
        values = sorted(run[key] for run in rounds)
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    requests, seconds = sum(run["requests"] for run in rounds), sum(run["seconds"] for run in rounds)
    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(median("rps"), 1),
        "p50_ms": median("p50_ms"),
        "p90_ms": median("p90_ms"),
        "p99_ms": median("p99_ms"),
        "max_ms": max(run["max_ms"] for run in rounds),
        "non_2xx": sum(run["non_2xx"] for run in rounds),
        "errors": sum(run["errors"] for run in rounds),
        "rounds_rps": [run["rps"] for run in rounds],
    }
