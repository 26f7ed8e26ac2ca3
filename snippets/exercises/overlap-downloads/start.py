import asyncio

from exercise import download


async def main():
    results = []
    for n in range(5):
        results.append(await download(n))
    print(results)


asyncio.run(main())
