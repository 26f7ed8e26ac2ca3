import asyncio
import sys
import time

TICK_S = 0.1


async def ticker(ticks: list[float]) -> None:
    """Stand-in for the rest of a program: a task that wants to run every TICK_S seconds."""
    for _ in range(10_000):
        await asyncio.sleep(TICK_S)
        ticks.append(time.perf_counter())


async def main() -> None:
    ticks: list[float] = []
    task = asyncio.create_task(ticker(ticks))
    await asyncio.sleep(3.5 * TICK_S)  # the ticker is ticking
    before, started = len(ticks), time.perf_counter()
    try:
        name = input("Your name? ")  # noqa: ASYNC250 (the blocking call this example shows)
    except EOFError:
        print("\nstdin is closed: there is no line to wait for.")
        return
    finally:
        task.cancel()
    waited, during = time.perf_counter() - started, len(ticks) - before
    where = "Pyodide in the browser" if sys.platform == "emscripten" else "CPython"
    print(f"Hello, {name}. ({where})")
    print(f"input() waited {waited:.1f} s; the ticker, due every {TICK_S} s, ticked {during} times meanwhile.")
    if during == 0:
        print("The event loop stalled: input() blocked the thread the loop runs on.")
    else:
        print("The event loop kept running: input() suspended this coroutine instead of blocking the thread.")


asyncio.run(main())
