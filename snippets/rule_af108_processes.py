import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def count_primes(limit: int) -> int:
    return sum(all(n % d for d in range(2, int(n**0.5) + 1)) for n in range(2, limit))


def timed(label: str, run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"{label:<22} {elapsed:.2f} s")
    return elapsed


if __name__ == "__main__":
    jobs = [100_000] * 4
    base = timed("sequential", lambda: [count_primes(n) for n in jobs])
    with ThreadPoolExecutor(max_workers=2) as threads:
        t = timed("2 threads (GIL)", lambda: list(threads.map(count_primes, jobs)))
    with ProcessPoolExecutor(max_workers=2) as procs:
        list(procs.map(abs, [1, 2]))  # start the workers before timing
        p = timed("2 processes", lambda: list(procs.map(count_primes, jobs)))
    print(f"speed-up: threads {base / t:.1f}x, processes {base / p:.1f}x (2 workers)")
