import asyncio

from exercise import async_get


async def handle(request_id):
    profile = await async_get(f"/profile/{request_id}")
    avatar = await async_get(f"/avatar/{request_id}")
    return profile, avatar


async def main():
    pages = await asyncio.gather(*(handle(n) for n in range(5)))
    print(f"{len(pages)} pages rendered")


asyncio.run(main())
