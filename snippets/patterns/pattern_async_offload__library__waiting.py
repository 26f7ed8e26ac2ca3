"""For: a library whose driver is sync-only, with callers on both sides (an async wrapper around a sync client).

Copy this: one sync Client does the work; AsyncClient runs each blocking call through asyncio.to_thread, on the
caller's loop and its default executor. The library starts no pool of its own and never calls asyncio.run.
"""

import asyncio
import time
from dataclasses import dataclass


@dataclass
class Client:
    """The sync client: plain blocking calls, each with its own timeout."""

    timeout_s: float = 5.0

    def query(self, sql: str) -> list[tuple[int, str]]:
        """Run one query; blocks the calling thread until the server answers."""
        time.sleep(0.05)  # stands for: the sync-only driver's cursor.execute(sql, timeout=self.timeout_s)
        return [(1, sql)]


class AsyncClient:
    """The async client: the same calls, awaited; the blocking work runs in a thread off the caller's loop."""

    def __init__(self, timeout_s: float = 5.0) -> None:
        self._sync = Client(timeout_s)

    async def query(self, sql: str) -> list[tuple[int, str]]:
        """Await one query; cancelling this await stops the waiting, not the query (threads cannot be cancelled)."""
        return await asyncio.to_thread(self._sync.query, sql)


async def caller() -> None:
    """Caller-side code (not the library's): several queries overlap in the loop's default executor."""
    client = AsyncClient()
    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(client.query(f"select {i}")) for i in range(5)]
    rows = [task.result()[0] for task in tasks]
    print(f"{len(rows)} queries overlapped in {time.perf_counter() - started:.2f} s (one takes 0.05 s)")


if __name__ == "__main__":
    print(Client().query("select 1"))
    asyncio.run(caller())
