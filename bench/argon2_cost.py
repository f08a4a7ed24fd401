"""What one argon2id verification costs here, for OWASP's equivalent minimum settings.

OWASP's Password Storage Cheat Sheet lists these argon2id configurations as equally strong
minimums (p=1): m=47104 KiB t=1, m=19456 t=2, m=12288 t=3, m=9216 t=4, m=7168 t=5. A login
verifies one hash, so a core can serve at most 1000 / ms logins per second.
"""

import os
import time

from argon2 import PasswordHasher, Type

OWASP_MINIMUMS = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]


def verify_ms(memory_kib: int, time_cost: int, *, rounds: int = 5) -> float:
    """Median milliseconds of one verify with these parameters."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID)
    password_hash = hasher.hash("bench-password")
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.verify(password_hash, "bench-password")
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)[len(timings) // 2]


def measure(current: tuple[int, int]) -> list[dict]:
    """Each OWASP minimum: ms per verify and the login rps ceiling of this machine's cores."""
    cores = os.cpu_count() or 1
    rows = []
    for memory_kib, time_cost in OWASP_MINIMUMS:
        ms = verify_ms(memory_kib, time_cost)
        rows.append({"memory_kib": memory_kib, "time_cost": time_cost, "parallelism": 1, "verify_ms": round(ms, 1),
                     "max_logins_per_second": round(cores * 1000 / ms), "current": (memory_kib, time_cost) == current})
    return rows
