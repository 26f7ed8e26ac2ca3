"""For: a script or pipeline that makes hundreds to thousands of independent network calls with async clients.

Copy this: one async client for the whole run, a Semaphore bounding the fan-out, a TaskGroup keeping every task
referenced, asyncio.timeout per call, and expected errors caught per item so one failure does not cancel the rest.
"""

import asyncio

MAX_IN_FLIGHT = 50  # what the remote side tolerates
TIMEOUT_S = 1.0


async def get_price(sku: int) -> float:
    """Stands for one awaited client call, e.g. `await session.get(f"{API}/prices/{sku}")` on one aiohttp session."""
    await asyncio.sleep(10.0 if sku == 13 else 0.05)  # stands for: the network wait (sku 13 hangs, for the demo)
    return sku * 0.5


async def fetch(sku: int, limit: asyncio.Semaphore) -> float | str:
    """One item: bounded, timed out, and turning its expected failure into a value."""
    async with limit:
        try:
            async with asyncio.timeout(TIMEOUT_S):
                return await get_price(sku)
        except TimeoutError:
            return f"sku {sku}: timed out"


async def main() -> None:
    """Fan out over every SKU, at most MAX_IN_FLIGHT at a time."""
    limit = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with asyncio.TaskGroup() as tg:  # waits for all; an unexpected error cancels the rest and propagates
        tasks = [tg.create_task(fetch(sku, limit)) for sku in range(300)]
    results = [task.result() for task in tasks]
    prices = [r for r in results if isinstance(r, float)]
    failures = [r for r in results if isinstance(r, str)]
    print(f"{len(prices)} prices fetched, total {sum(prices):.1f}; failures: {failures}")


if __name__ == "__main__":
    asyncio.run(main())
