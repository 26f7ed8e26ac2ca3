"""Why a module-level AsyncClient fails in a second asyncio.run: it is tied to the first loop."""

import asyncio


class ConnectionPool:
    """Like httpx2.AsyncClient's pool: connections belong to the loop that opened them."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    async def get(self, url: str) -> str:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()  # first use: "open a connection" on this loop
        future = self.loop.create_future()  # reuse the kept-alive connection
        self.loop.call_soon(future.set_result, f"200 OK {url}")
        return await future


client = ConnectionPool()  # module-level client, shared by every asyncio.run below
print(asyncio.run(client.get("/first")))
try:
    # a new loop, but the pool still points at the first, closed one
    print(asyncio.run(client.get("/second")))
except RuntimeError as exc:
    print("RuntimeError:", exc)


async def main() -> None:
    pool = ConnectionPool()  # the fix: create the client inside the loop that uses it
    print(await pool.get("/first"), "|", await pool.get("/second"))


asyncio.run(main())
