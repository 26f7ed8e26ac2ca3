import asyncio
import time


def legacy_sdk_call(item: int) -> int:
    """A client library with no async version: it blocks while it waits."""
    time.sleep(0.2)
    return item * 2


async def main() -> None:
    start = time.perf_counter()
    results = await asyncio.gather(*(asyncio.to_thread(legacy_sdk_call, i) for i in range(5)))
    print(f"5 blocking calls through asyncio.to_thread: {time.perf_counter() - start:.2f} s -> {results}")


start = time.perf_counter()
print([legacy_sdk_call(i) for i in range(5)], f"sequentially: {time.perf_counter() - start:.2f} s")
asyncio.run(main())
