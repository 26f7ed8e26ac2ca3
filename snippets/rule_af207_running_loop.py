import asyncio


async def fetch() -> str:
    await asyncio.sleep(0.01)
    return "data"


async def notebook_cell() -> None:
    """Jupyter runs each cell inside an event loop that is already running: like this coroutine."""
    coro = fetch()
    try:
        asyncio.run(coro)
    except RuntimeError as exc:
        coro.close()  # the coroutine never started: close it to avoid a 'never awaited' warning
        print("RuntimeError:", exc)
    print("await instead:", await fetch())


asyncio.run(notebook_cell())
