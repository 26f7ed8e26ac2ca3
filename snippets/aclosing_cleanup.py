"""Leaving an `async for` early: an async generator's cleanup runs late, unless you close it with aclosing().

The generator holds a resource (a connection, a cursor) and releases it in `finally`. Breaking out of the loop does
not run that `finally`: the generator is only suspended. It runs when the generator is closed, which for an async
generator needs the event loop: at garbage collection, or at the latest when asyncio.run shuts down. With
`async with contextlib.aclosing(gen)` (3.10+) the cleanup runs as the block ends. Runs in the browser too.
Run it: python snippets/aclosing_cleanup.py
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator

log: list[str] = []


async def rows(name: str) -> AsyncIterator[int]:
    log.append(f"{name}: open connection")
    try:
        for i in range(100):
            await asyncio.sleep(0)
            yield i
    finally:
        log.append(f"{name}: connection released")


async def without_aclosing() -> None:
    gen = rows("plain async for")
    async for row in gen:
        if row == 2:
            break
    log.append("plain async for: loop left, more work follows")
    await asyncio.sleep(0.01)


async def with_aclosing() -> None:
    async with contextlib.aclosing(rows("aclosing")) as gen:
        async for row in gen:
            if row == 2:
                break
    log.append("aclosing: loop left, more work follows")
    await asyncio.sleep(0.01)


async def main() -> None:
    await without_aclosing()
    await with_aclosing()
    log.append("main() returns; asyncio.run now finalises leftover async generators")


def run() -> list[str]:
    log.clear()
    asyncio.run(main())
    return list(log)


if __name__ == "__main__":
    for line in run():
        print(line)
