import asyncio


async def fetch(name: str, seconds: float) -> str:
    await asyncio.sleep(seconds)
    return name


async def main() -> None:
    results = await asyncio.gather(fetch("fast", 0.1), fetch("medium", 0.2), fetch("slow", 0.3))
    print("finished:", ", ".join(results))


asyncio.run(main())
