"""The benchmark suite: `make bench` and `make bench-growth` (see docs/performance.md).

It serves the API with gunicorn and the project's gunicorn.conf.py against a database and a
Redis key prefix of its own, seeds a fixed data set, loads each scenario with wrk beside two
ceiling apps (bench/ceilings/), and reports rps, latencies and the ratios to the ceilings.
"""
