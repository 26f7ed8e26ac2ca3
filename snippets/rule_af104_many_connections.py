import asyncio
import time
import tracemalloc

CONNECTIONS = 10_000


async def connection(inbox: asyncio.Event, received: list[int], i: int) -> None:
    await inbox.wait()  # an idle WebSocket: waiting costs no CPU
    received.append(i)


async def main() -> None:
    inbox = asyncio.Event()
    received: list[int] = []
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(connection(inbox, received, i)) for i in range(CONNECTIONS)]
    await asyncio.sleep(0)  # let every task start and park on the event
    per_task = (tracemalloc.get_traced_memory()[0] - before) / CONNECTIONS
    tracemalloc.stop()

    start = time.perf_counter()
    inbox.set()  # "broadcast" one message to every connection
    await asyncio.gather(*tasks)
    print(f"{len(received):,} idle connections on one thread, {per_task / 1024:.1f} KiB each")
    print(f"waking all of them took {time.perf_counter() - start:.3f} s")


asyncio.run(main())
