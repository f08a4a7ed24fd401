"""`python -m bench` (make bench) and `python -m bench --growth` (make bench-growth)."""

import argparse
from pathlib import Path

from bench.load import wrk_available
from bench.run import run_bench, run_growth
from bench.scenarios import SCENARIOS

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--articles", type=int, help="articles to seed (default 1000; 100000 with --growth)")
    parser.add_argument("--growth", action="store_true",
                        help="list_anon, list_tag, feed at 1,000 then --articles, and the deep pages there")
    parser.add_argument("--scenarios", default=",".join(s.name for s in SCENARIOS), help="comma-separated")
    parser.add_argument("--seconds", type=int, default=12, help="measured seconds per server and scenario")
    parser.add_argument("--rounds", type=int, default=6,
                        help="split those seconds into this many rounds of service, bare, one-query")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-ceilings", dest="ceilings", action="store_false", help="measure the service only")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where JSON, PNG and logs go")
    parser.add_argument("--chart", type=Path, help="also copy the PNG chart here (e.g. docs/bench.png)")
    args = parser.parse_args()
    if not wrk_available():
        parser.exit(2, "wrk is not installed: `make bench` installs it (apt-get install wrk)\n")
    options = {"out": args.out, "chart": args.chart, "seconds": args.seconds, "warmup": args.warmup,
                   "connections": args.connections, "rounds": args.rounds}
    if args.growth:
        run_growth(articles=args.articles or 100_000, **options)
    else:
        run_bench(args.scenarios.split(","), articles=args.articles or 1000, ceilings=args.ceilings, **options)


if __name__ == "__main__":
    main()
