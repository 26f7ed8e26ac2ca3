import asyncio
import sys


async def main() -> None:
    for step in range(3):
        print(f"stdout line {step}")
        print(f"stderr line {step}", file=sys.stderr)
        await asyncio.sleep(0.1)
    print("done")


asyncio.run(main())
