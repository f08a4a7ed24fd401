"""Run wrk against one server with one scenario's request file, and read its figures."""

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk" / "requests.lua"


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(base_url: str, requests_file: Path, *, seconds: int, connections: int = 16, threads: int = 2) -> dict:
    """Load `base_url` for `seconds` (whole seconds: wrk's unit); returns rps, latencies (ms),
    non-2xx and socket errors."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
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
