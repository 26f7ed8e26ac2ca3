import asyncio

from exercise import crunch_chunk, serve_others


async def crunch():
    total = 0
    for n in range(40):
        total += crunch_chunk(n)
        await asyncio.sleep(0)  # let the loop run other tasks between chunks
    return total


async def main():
    result, _ = await asyncio.gather(crunch(), serve_others())
    print("result:", result)


asyncio.run(main())
