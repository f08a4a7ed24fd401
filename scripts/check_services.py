"""Exit 0 when MySQL/MariaDB and Redis answer at DATABASE_URL and REDIS_URL, else print why.

Used by scripts/provision-services.sh; `--wait N` keeps trying for N seconds.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymysql  # noqa: E402
import redis  # noqa: E402

from settings import config_for_environment  # noqa: E402
from settings.pool import DatabaseAddress  # noqa: E402


def mysql_problem(config: dict) -> str | None:
    address = DatabaseAddress.from_url(config["DATABASE_URL"])
    try:
        pymysql.connect(**address.connect_kwargs(config, with_database=False)).close()
    except pymysql.err.MySQLError as error:
        return f"mysql at {address.host}:{address.port}: {error}"
    return None


def redis_problem(config: dict) -> str | None:
    try:
        redis.Redis.from_url(config["REDIS_URL"], socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"redis at {config['REDIS_URL']}: {error}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", choices=["mysql", "redis", "all"])
    parser.add_argument("--wait", type=float, default=0, help="seconds to keep trying")
    args = parser.parse_args()
    source = config_for_environment()
    config = {name: getattr(source, name) for name in dir(source) if name.isupper()}
    checks = {"mysql": [mysql_problem], "redis": [redis_problem], "all": [mysql_problem, redis_problem]}[args.service]
    deadline = time.monotonic() + args.wait
    while True:
        problems = [problem for check in checks if (problem := check(config))]
        if not problems:
            return 0
        if time.monotonic() >= deadline:
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1
        time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
