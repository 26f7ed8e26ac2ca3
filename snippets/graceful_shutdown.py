"""Graceful shutdown on SIGTERM: stop taking work, let in-flight work finish within a grace period, cancel the rest.

A container orchestrator sends SIGTERM, waits a grace period, then SIGKILLs. Here the program sends itself SIGTERM
after 0.05 s while four jobs run: three short ones (0.1 s) and one that would take 5 s. `loop.add_signal_handler`
turns the signal into an Event; the jobs get 0.3 s to finish; what is still running after that is cancelled, and
its `finally` blocks run. Unix only (add_signal_handler), so CPython here. Run it: python snippets/graceful_shutdown.py
"""

import asyncio
import os
import signal
import time

GRACE_S = 0.3
log: list[str] = []


async def job(name: str, seconds: float) -> None:
    try:
        await asyncio.sleep(seconds)
        log.append(f"{name} finished")
    except asyncio.CancelledError:
        log.append(f"{name} cancelled after the grace period (cleanup ran)")
        raise


async def main() -> float:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stopping.set)
    start = time.perf_counter()
    jobs = [asyncio.create_task(job(f"short job {i}", 0.1)) for i in range(3)]
    jobs.append(asyncio.create_task(job("long job", 5.0)))
    loop.call_later(0.05, os.kill, os.getpid(), signal.SIGTERM)  # what `docker stop` or Kubernetes sends
    await stopping.wait()
    log.append(f"SIGTERM at {time.perf_counter() - start:.2f} s: no new work; {GRACE_S} s grace")
    _, pending = await asyncio.wait(jobs, timeout=GRACE_S)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)  # let the cancelled jobs run their cleanup
    loop.remove_signal_handler(signal.SIGTERM)
    return time.perf_counter() - start


def run() -> tuple[list[str], float]:
    log.clear()
    elapsed = asyncio.run(main())
    return list(log), elapsed


if __name__ == "__main__":
    lines, elapsed = run()
    for line in lines:
        print(line)
    print(f"exited after {elapsed:.2f} s, well inside a 30 s SIGKILL deadline")
