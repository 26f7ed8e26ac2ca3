import asyncio
import time

import exercise


async def concurrent(urls, get):
    return await asyncio.gather(*(get(url) for url in urls))


async def sequential(urls, get):
    return [await get(url) for url in urls]


async def wrong_values(urls, get):
    return list(reversed(await asyncio.gather(*(get(url) for url in urls))))


async def outcome(program, test, implementation):
    """Run the program's test with `fetch_all` replaced: (None if it passed, else why not; seconds it took)."""
    program["fetch_all"] = implementation
    started = time.perf_counter()
    try:
        await test()
    except AssertionError as exc:
        return f"AssertionError {exc}".strip(), time.perf_counter() - started
    except Exception as exc:  # any failure of the test counts as failing
        return f"{type(exc).__name__}: {exc}", time.perf_counter() - started
    return None, time.perf_counter() - started


async def check(program):
    test = program.get("test_fetch_all")
    if test is None:
        raise exercise.CheckFailed("The program defines no test_fetch_all() coroutine function.")
    original = program.get("fetch_all")
    try:
        good, good_s = await outcome(program, test, concurrent)
        slow, slow_s = await outcome(program, test, sequential)
        wrong, _ = await outcome(program, test, wrong_values)
    finally:
        program["fetch_all"] = original
    if good is not None:
        raise exercise.CheckFailed(f"Your test fails against a correct, concurrent fetch_all: {good}")
    if wrong is None:
        raise exercise.CheckFailed("Your test passes against a fetch_all that returns the values in the wrong order.")
    if slow is None:
        raise exercise.CheckFailed(
            f"Your test passed against the concurrent fetch_all (in {good_s:.2f} s) and also against one that awaits"
            f" the calls one after another (in {slow_s:.2f} s): it checks the values, not that the calls overlap."
        )
    return f"Your test passes the concurrent fetch_all and fails the sequential one ({slow}) and the wrong one."
