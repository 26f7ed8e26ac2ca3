import asyncio


async def fetch_all(urls, get):
    return await asyncio.gather(*(get(url) for url in urls))


async def test_fetch_all():
    async def fake_get(url):
        await asyncio.sleep(0.01)
        return url.upper()

    assert await fetch_all(["a", "b", "c"], fake_get) == ["A", "B", "C"]


asyncio.run(test_fetch_all())
print("test_fetch_all passed")
