import asyncio
import time


def count_primes(limit: int) -> int:
    return sum(all(n % d for d in range(2, int(n**0.5) + 1)) for n in range(2, limit))


async def count_primes_async(limit: int) -> int:
    return count_primes(limit)  # no await inside: the loop cannot switch tasks


async def main() -> None:
    start = time.perf_counter()
    plain = [count_primes(20_000) for _ in range(4)]
    sync_time = time.perf_counter() - start

    start = time.perf_counter()
    gathered = await asyncio.gather(*(count_primes_async(20_000) for _ in range(4)))
    async_time = time.perf_counter() - start

    print(f"4 CPU-bound jobs, plain loop:   {sync_time:.2f} s")
    print(f"4 CPU-bound jobs, async gather: {async_time:.2f} s")
    print("same answers:", plain == list(gathered))
    print(f"async / sync = {async_time / sync_time:.2f}: one thread, same work, no speed-up")


asyncio.run(main())
