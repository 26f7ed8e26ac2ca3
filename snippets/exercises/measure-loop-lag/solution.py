import asyncio
import time

from exercise import spin


async def heartbeat(report, interval=0.05):
    while True:
        before = time.perf_counter()
        await asyncio.sleep(interval)
        report(time.perf_counter() - before - interval)


async def main():
    lags = []
    beat = asyncio.create_task(heartbeat(lags.append))
    await asyncio.sleep(0.2)
    spin(0.3)  # a blocking call: 0.3 s without an await
    await asyncio.sleep(0.2)
    beat.cancel()
    print(f"worst lag reported: {max(lags):.2f} s")


asyncio.run(main())
