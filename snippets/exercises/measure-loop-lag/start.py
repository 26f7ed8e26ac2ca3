import asyncio

from exercise import spin


async def heartbeat(report, interval=0.05):
    while True:
        await asyncio.sleep(interval)
        report(0.0)  # TODO: how much later than `interval` did the sleep end?


async def main():
    lags = []
    beat = asyncio.create_task(heartbeat(lags.append))
    await asyncio.sleep(0.2)
    spin(0.3)  # a blocking call: 0.3 s without an await
    await asyncio.sleep(0.2)
    beat.cancel()
    print(f"worst lag reported: {max(lags):.2f} s")


asyncio.run(main())
