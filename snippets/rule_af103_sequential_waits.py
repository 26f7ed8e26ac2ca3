import asyncio
import time


def login_then_fetch() -> str:
    time.sleep(0.1)  # log in
    time.sleep(0.1)  # fetch: needs the login token, so it cannot start earlier
    return "report"


async def login_then_fetch_async() -> str:
    await asyncio.sleep(0.1)
    await asyncio.sleep(0.1)
    return "report"


start = time.perf_counter()
login_then_fetch()
print(f"sync:  {time.perf_counter() - start:.2f} s")

start = time.perf_counter()
asyncio.run(login_then_fetch_async())
print(f"async: {time.perf_counter() - start:.2f} s")
print("each step waits for the one before: nothing to overlap")
