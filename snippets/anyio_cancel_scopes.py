"""AnyIO (and Trio) cancel scopes: timeouts that nest, a scope you can cancel, and shielding cleanup.

`move_on_after` ends the block quietly when time is up; `fail_after` raises TimeoutError. Scopes nest, and the
tighter deadline wins, whichever is outside. `scope.cancel()` ends a scope from inside or from another task.
`CancelScope(shield=True)` protects cleanup that must finish even while the surrounding task is being cancelled.
A task group (`anyio.create_task_group()`) cancels its other tasks when one fails, like asyncio.TaskGroup, which
was modelled on Trio's nurseries. Runs on asyncio here (AnyIO's default backend); needs AnyIO, which the
in-browser Python on this site does not ship. Run it: python snippets/anyio_cancel_scopes.py
"""

import time

import anyio

log: list[str] = []


async def main() -> None:
    start = time.perf_counter()

    def at() -> str:
        return f"{time.perf_counter() - start:.2f} s"

    with anyio.move_on_after(0.05) as scope:
        await anyio.sleep(1)
    log.append(f"move_on_after(0.05): block ended quietly at {at()}, cancelled_caught={scope.cancelled_caught}")

    try:
        with anyio.fail_after(0.05):
            await anyio.sleep(1)
    except TimeoutError:
        log.append(f"fail_after(0.05): TimeoutError at {at()}")

    with anyio.move_on_after(0.05):  # the outer, tighter deadline wins over the inner, looser one
        with anyio.move_on_after(1):
            await anyio.sleep(1)
    log.append(f"nested 0.05 s outside 1 s: both ended at {at()}")

    async with anyio.create_task_group() as tg:

        async def watchdog(scope: anyio.CancelScope) -> None:
            await anyio.sleep(0.05)
            scope.cancel()  # cancel another task's scope

        with anyio.CancelScope() as work:
            tg.start_soon(watchdog, work)
            await anyio.sleep(1)
        log.append(f"scope.cancel() from another task: ended at {at()}")

    with anyio.move_on_after(0.02):
        try:
            await anyio.sleep(1)
        finally:
            with anyio.CancelScope(shield=True):  # without the shield, this await would be cancelled too
                await anyio.sleep(0.05)
                log.append(f"shielded cleanup finished at {at()} although its scope was cancelled")


def run() -> list[str]:
    log.clear()
    anyio.run(main)
    return list(log)


if __name__ == "__main__":
    for line in run():
        print(line)
