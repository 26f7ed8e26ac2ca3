import asyncio

from exercise import download


async def main():
    results = await asyncio.gather(*(download(n) for n in range(5)))
    print(results)


asyncio.run(main())
