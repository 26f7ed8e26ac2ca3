"""For: an async pipeline (an asyncio program already) that reads pages from an API and does light CPU per page.

Copy this: a producer and a consumer joined by a bounded asyncio.Queue (backpressure), with the CPU step inline
only while each item takes well under ~10 ms. Async does not speed up CPU work: heavier steps go to a process pool.
"""

import asyncio
import json
from collections import Counter

PAGES = 40
QUEUE_SIZE = 4  # the producer waits when the consumer falls behind: memory stays bounded


async def produce(pages: asyncio.Queue[bytes | None]) -> None:
    """Stands for paging through an API with an async client; None marks the end."""
    for page in range(PAGES):
        await asyncio.sleep(0.01)  # stands for: await session.get(f"{API}/events?page={page}")
        events = [{"user": f"u{(page * 31 + n) % 17}", "kind": "click" if n % 3 else "view"} for n in range(200)]
        await pages.put(json.dumps(events).encode())
    await pages.put(None)


def tally(raw: bytes, counts: Counter[str]) -> None:
    """Parse and count one page: the CPU step, a fraction of a millisecond, so it may run on the loop."""
    counts.update(event["user"] for event in json.loads(raw) if event["kind"] == "click")


async def consume(pages: asyncio.Queue[bytes | None]) -> Counter[str]:
    """Take pages as they arrive; the producer keeps fetching while this one counts."""
    counts: Counter[str] = Counter()
    while (raw := await pages.get()) is not None:
        tally(raw, counts)
    return counts


async def main() -> None:
    """Run producer and consumer together."""
    pages: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=QUEUE_SIZE)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(produce(pages))
        counting = tg.create_task(consume(pages))
    counts = counting.result()
    print(f"{PAGES} pages, {counts.total()} clicks; top users: {counts.most_common(3)}")


if __name__ == "__main__":
    asyncio.run(main())
