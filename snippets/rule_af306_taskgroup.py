"""gather vs TaskGroup when one task fails, the return_exceptions trap, and a swallowed CancelledError.

Three "downloads": one fails after 0.05 s, two would take 0.3 s. With asyncio.gather the error reaches the caller at
once but the two siblings keep running, unsupervised. With asyncio.TaskGroup (3.11+) the failure cancels the
siblings and arrives as an ExceptionGroup, handled with except*. gather(return_exceptions=True) hands the error
back as a list item that is easy to ignore. A task that catches CancelledError and carries on breaks cancellation:
`asyncio.timeout` then never raises, and the code after it runs as if the timeout had not fired.
Run it: python snippets/rule_af306_taskgroup.py
"""

import asyncio
import time

events: list[str] = []


async def download(name: str, seconds: float, fail: bool = False) -> str:
    await asyncio.sleep(seconds)
    if fail:
        raise ValueError(f"{name}: server said 500")
    events.append(f"{name} finished")
    return name


async def with_gather() -> tuple[str, int]:
    events.clear()
    try:
        await asyncio.gather(download("a", 0.05, fail=True), download("b", 0.3), download("c", 0.3))
    except ValueError as error:
        caught = str(error)
    running = len([t for t in asyncio.all_tasks() if t is not asyncio.current_task()])
    await asyncio.sleep(0.35)  # the siblings were never cancelled: they finish in the background
    return caught, running


async def with_taskgroup() -> tuple[list[str], int]:
    events.clear()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(download("a", 0.05, fail=True))
            tg.create_task(download("b", 0.3))
            tg.create_task(download("c", 0.3))
    except* ValueError as group:
        caught = [str(e) for e in group.exceptions]
    running = len([t for t in asyncio.all_tasks() if t is not asyncio.current_task()])
    await asyncio.sleep(0.35)
    return caught, running


async def with_return_exceptions() -> list[object]:
    return await asyncio.gather(download("a", 0.05, fail=True), download("b", 0.1), return_exceptions=True)


async def swallows_cancellation() -> str:
    try:
        await asyncio.sleep(0.3)
    except asyncio.CancelledError:
        return "swallowed"  # wrong: CancelledError must propagate (clean up, then `raise`)
    return "slept"


async def timeout_lost() -> bool:
    try:
        async with asyncio.timeout(0.05):
            await swallows_cancellation()
    except TimeoutError:
        return False
    return True  # no TimeoutError: the caller believes the work finished in time


async def shielded() -> tuple[bool, bool]:
    inner = asyncio.ensure_future(download("audit-log write", 0.1))
    try:
        async with asyncio.timeout(0.02):
            await asyncio.shield(inner)
    except TimeoutError:
        outer_timed_out = True
    await inner  # the shielded work still completes; keep a reference and await it
    return outer_timed_out, inner.done() and not inner.cancelled()


async def main() -> dict[str, object]:
    start = time.perf_counter()
    gather_error, gather_running = await with_gather()
    gather_events = list(events)
    group_errors, group_running = await with_taskgroup()
    return {
        "gather_error": gather_error,
        "gather_siblings_still_running": gather_running,
        "gather_siblings_finished_later": gather_events,
        "taskgroup_errors": group_errors,
        "taskgroup_siblings_still_running": group_running,
        "taskgroup_siblings_finished_later": list(events),
        "return_exceptions": await with_return_exceptions(),
        "timeout_lost": await timeout_lost(),
        "shield": await shielded(),
        "elapsed": time.perf_counter() - start,
    }


def run() -> dict[str, object]:
    return asyncio.run(main())


if __name__ == "__main__":
    r = run()
    print(f"gather:    caught {r['gather_error']!r}; siblings still running: {r['gather_siblings_still_running']}")
    print(f"           ... and later: {r['gather_siblings_finished_later']}")
    print(
        f"TaskGroup: caught {r['taskgroup_errors']} (except*); siblings still running: "
        f"{r['taskgroup_siblings_still_running']}, finished later: {r['taskgroup_siblings_finished_later']}"
    )
    print(f"gather(return_exceptions=True) returned {r['return_exceptions']!r}: check every item")
    print(f"swallowed CancelledError: the 0.05 s timeout went unnoticed: {r['timeout_lost']}")
    outer, inner = r["shield"]
    print(f"shield: the caller timed out: {outer}; the shielded write still completed: {inner}")
