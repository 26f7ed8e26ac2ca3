import asyncio

from exercise import quote

SERVICES = ["fast", "steady", "stuck"]


async def ask(service):
    try:
        async with asyncio.timeout(0.2):
            return await quote(service)
    except TimeoutError:
        return None


async def best_price():
    quotes = await asyncio.gather(*(ask(s) for s in SERVICES))
    return min((q for q in quotes if q is not None), default=None)


print("best price:", asyncio.run(best_price()))
