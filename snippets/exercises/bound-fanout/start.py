import asyncio

from exercise import fetch

URLS = [f"https://example.org/item/{n}" for n in range(20)]


async def main():
    statuses = await asyncio.gather(*(fetch(url) for url in URLS))
    print(f"{len(statuses)} responses")


asyncio.run(main())
