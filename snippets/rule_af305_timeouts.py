"""Timeouts at three levels: per call, per request (a deadline shared by its calls), overall.

A "service" that sometimes hangs: every third call never answers. Without a timeout, one hung call holds its
caller forever (here we stop waiting after 1 s to show it). A per-call `asyncio.timeout` bounds each call, but a
request that makes calls one after another can still take calls x timeout. A deadline for the whole request
(`asyncio.timeout_at(start + budget)`) bounds the total, and each call gets only what is left of it.
Run it: python snippets/rule_af305_timeouts.py
"""

import asyncio
import time

CALL_S = 0.02  # a healthy call
PER_CALL_TIMEOUT_S = 0.1
REQUEST_BUDGET_S = 0.15
CALLS = 6


async def service(i: int) -> int:
    if i % 3 == 2:
        await asyncio.Event().wait()  # a hung peer: no answer, no error, ever
    await asyncio.sleep(CALL_S)
    return i


async def no_timeout() -> tuple[float, str]:
    start = time.perf_counter()
    try:
        async with asyncio.timeout(1.0):  # only so this demo ends: the code under test has no timeout
            for i in range(CALLS):
                await service(i)
    except TimeoutError:
        return time.perf_counter() - start, "stuck on call 2 until the demo gave up"
    return time.perf_counter() - start, "finished"


async def per_call_timeouts() -> tuple[float, str]:
    start, done, timed_out = time.perf_counter(), 0, 0
    for i in range(CALLS):
        try:
            async with asyncio.timeout(PER_CALL_TIMEOUT_S):
                await service(i)
            done += 1
        except TimeoutError:
            timed_out += 1
    return time.perf_counter() - start, f"{done} answered, {timed_out} timed out"


async def request_deadline() -> tuple[float, str]:
    loop = asyncio.get_running_loop()
    start, done, deadline = time.perf_counter(), 0, loop.time() + REQUEST_BUDGET_S
    try:
        async with asyncio.timeout_at(deadline):  # the whole request's budget
            for i in range(CALLS):
                try:
                    async with asyncio.timeout(min(PER_CALL_TIMEOUT_S, deadline - loop.time())):
                        await service(i)
                    done += 1
                except TimeoutError:
                    if loop.time() >= deadline:
                        raise
    except TimeoutError:
        return time.perf_counter() - start, f"{done} answered, then the request's deadline ended it"
    return time.perf_counter() - start, f"{done} answered within the deadline"


async def main() -> dict[str, tuple[float, str]]:
    return {
        "no timeout": await no_timeout(),
        f"per call ({PER_CALL_TIMEOUT_S} s)": await per_call_timeouts(),
        f"request deadline ({REQUEST_BUDGET_S} s)": await request_deadline(),
    }


def run() -> dict[str, tuple[float, str]]:
    return asyncio.run(main())


if __name__ == "__main__":
    print(f"{CALLS} calls in a row; every third call hangs")
    for name, (elapsed, what) in run().items():
        print(f"  {name:<25} {elapsed:.2f} s: {what}")
