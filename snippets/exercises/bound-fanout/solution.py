import asyncio

from exercise import fetch

URLS = [f"https://example.org/item/{n}" for n in range(20)]


async def main():
    limit = asyncio.Semaphore(5)

    async def bounded(url):
        async with limit:
            return await fetch(url)

    statuses = await asyncio.gather(*(bounded(url) for url in URLS))
    print(f"{len(statuses)} responses")


asyncio.run(main())
