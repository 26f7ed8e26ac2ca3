import asyncio
import time


def legacy_sdk_call(item: int) -> int:
    """A client library with no async version: it blocks while it waits."""
    time.sleep(0.2)
    return item * 2


async def main() -> None:
    start = time.perf_counter()
    calls = (asyncio.to_thread(legacy_sdk_call, i) for i in range(5))
    results = await asyncio.gather(*calls)
    print(f"in threads: {time.perf_counter() - start:.2f} s -> {results}")


start = time.perf_counter()
results = [legacy_sdk_call(i) for i in range(5)]
print(f"one by one: {time.perf_counter() - start:.2f} s -> {results}")
asyncio.run(main())
