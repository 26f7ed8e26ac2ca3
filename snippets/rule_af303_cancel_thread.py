import asyncio
import time

start = time.perf_counter()


def slow_query() -> None:
    time.sleep(0.5)
    print(f"{time.perf_counter() - start:.2f} s: the thread finished its query anyway")


async def main() -> None:
    try:
        await asyncio.wait_for(asyncio.to_thread(slow_query), timeout=0.1)
    except TimeoutError:
        print(f"{time.perf_counter() - start:.2f} s: timed out, stopped waiting")


asyncio.run(main())  # asyncio.run waits for the default executor's threads before it returns
print(f"{time.perf_counter() - start:.2f} s: program exits")
