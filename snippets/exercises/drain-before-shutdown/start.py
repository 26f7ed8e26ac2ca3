import asyncio

from exercise import process


async def worker(queue):
    while True:
        job = await queue.get()
        await process(job)
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    for job in range(6):
        queue.put_nowait(job)
    workers = [asyncio.create_task(worker(queue)) for _ in range(2)]

    await asyncio.sleep(0.15)  # the shutdown signal arrives
    for task in workers:
        task.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    print(f"shut down with {queue.qsize()} jobs still queued")


asyncio.run(main())
