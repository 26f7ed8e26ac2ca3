"""Backpressure: a producer faster than its consumer, with an unbounded queue, a bounded one, and load shedding.

The producer makes 200 jobs as fast as it can; the consumer handles one per 1 ms. An unbounded asyncio.Queue
absorbs the difference in memory: it grows to nearly every job (in a service that runs for hours, without limit).
A bounded Queue(maxsize=10) makes `await put()` wait while the queue is full, so the producer slows to the
consumer's pace and the queue never holds more than 10. Where the producer must not wait (an HTTP handler),
`put_nowait` on a full queue raises QueueFull: shed the job (answer 503) instead of queueing it forever.
Run it: python snippets/rule_af307_bounded_queue.py
"""

import asyncio

JOBS = 200
WORK_S = 0.001


async def consumer(queue: asyncio.Queue[int], handled: list[int]) -> None:
    while True:
        job = await queue.get()
        await asyncio.sleep(WORK_S)  # the slow part: one job at a time
        handled.append(job)
        queue.task_done()


async def pipeline(maxsize: int, shed: bool = False) -> dict[str, int]:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
    handled: list[int] = []
    peak = shed_count = 0
    worker = asyncio.create_task(consumer(queue, handled))
    for job in range(JOBS):
        if shed:
            try:
                queue.put_nowait(job)
            except asyncio.QueueFull:
                shed_count += 1  # e.g. answer 503 Retry-After instead of queueing
        else:
            await queue.put(job)  # waits while a bounded queue is full: that wait is the backpressure
        peak = max(peak, queue.qsize())
        await asyncio.sleep(0)  # the producer yields between jobs, as a real one awaiting its input would
    await queue.join()
    worker.cancel()
    return {"peak_queue_size": peak, "handled": len(handled), "shed": shed_count}


async def main() -> dict[str, dict[str, int]]:
    return {
        "unbounded Queue()": await pipeline(0),
        "Queue(maxsize=10), await put()": await pipeline(10),
        "Queue(maxsize=10), put_nowait + shed": await pipeline(10, shed=True),
    }


def run() -> dict[str, dict[str, int]]:
    return asyncio.run(main())


if __name__ == "__main__":
    print(f"{JOBS} jobs, produced at once, consumed at one per {WORK_S * 1000:.0f} ms")
    for name, r in run().items():
        print(f"  {name:<38} peak queue {r['peak_queue_size']:>3}, handled {r['handled']:>3}, shed {r['shed']:>3}")
