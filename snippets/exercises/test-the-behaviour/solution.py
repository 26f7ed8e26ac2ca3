import asyncio


async def fetch_all(urls, get):
    return await asyncio.gather(*(get(url) for url in urls))


async def test_fetch_all():
    in_flight = {"now": 0, "peak": 0}

    async def fake_get(url):
        in_flight["now"] += 1
        in_flight["peak"] = max(in_flight["peak"], in_flight["now"])
        await asyncio.sleep(0.01)
        in_flight["now"] -= 1
        return url.upper()

    assert await fetch_all(["a", "b", "c"], fake_get) == ["A", "B", "C"]
    assert in_flight["peak"] == 3, f"{in_flight['peak']} calls in flight at once, expected 3"


asyncio.run(test_fetch_all())
print("test_fetch_all passed")
