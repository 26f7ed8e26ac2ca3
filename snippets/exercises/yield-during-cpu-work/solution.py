import asyncio

from exercise import crunch_chunk, heartbeat


async def crunch():
    total = 0
    for n in range(40):
        total += crunch_chunk(n)
        await asyncio.sleep(0)  # let the loop run other tasks between chunks
    return total


async def main():
    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.05)  # the heartbeat is ticking
    print("result:", await crunch())
    await asyncio.sleep(0.05)
    beat.cancel()


asyncio.run(main())
