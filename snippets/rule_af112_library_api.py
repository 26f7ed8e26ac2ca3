"""A library that serves both sync and async callers from one sans-I/O core."""

import asyncio
import json
import time


def _parse(raw: str) -> dict[str, object]:  # the logic: no I/O, shared by both APIs
    return {"items": len(json.loads(raw))}


def fetch_stats(delay: float = 0.05) -> dict[str, object]:
    time.sleep(delay)  # stands for a blocking HTTP call
    return _parse("[1, 2, 3]")


async def fetch_stats_async(delay: float = 0.05) -> dict[str, object]:
    await asyncio.sleep(delay)  # stands for an async HTTP call
    return _parse("[1, 2, 3]")


# The caller chooses the model; the library never calls asyncio.run itself.
print("sync caller: ", fetch_stats())
print("async caller:", asyncio.run(fetch_stats_async()))
