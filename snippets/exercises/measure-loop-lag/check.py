import asyncio
import contextlib

import exercise

BLOCK_S = 0.4
QUIET_MAX_S = 0.25 * BLOCK_S
BLOCKED_MIN_S, BLOCKED_MAX_S = 0.5 * BLOCK_S, 1.5 * BLOCK_S
# A correct heartbeat reports no lag on a quiet loop every time; a wrong one (one that does not subtract the
# interval, say) reports the same lag on every try. So a quiet run over the limit is tried again, up to this often.
# The same goes for a blocked run over its upper limit: a busy machine can hold the loop up a little longer than
# the block itself, but a busy machine never makes the lag shorter, so a blocked run under its lower limit is not
# tried again.
QUIET_RETRIES = BLOCKED_RETRIES = 2


async def worst_lag(heartbeat, block):
    """Run the program's heartbeat beside a loop blocked for `block` seconds; return the worst lag it reported."""
    lags = []
    task = asyncio.create_task(heartbeat(lags.append))
    await asyncio.sleep(0.2)
    if block:
        exercise.spin(block)
    await asyncio.sleep(0.2)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    if not lags:
        raise exercise.CheckFailed("Your heartbeat never called report(lag) in 0.4 s: report after every interval.")
    return max(lags)


async def check(program):
    heartbeat = program.get("heartbeat")
    if heartbeat is None:
        raise exercise.CheckFailed("The program defines no heartbeat(report) coroutine function.")
    quiet = await worst_lag(heartbeat, 0)
    for _ in range(QUIET_RETRIES):  # a busy machine (a phone, a shared core) can wake even a quiet loop late
        if quiet <= QUIET_MAX_S:
            break
        quiet = min(quiet, await worst_lag(heartbeat, 0))
    blocked = await worst_lag(heartbeat, BLOCK_S)
    for _ in range(BLOCKED_RETRIES):
        if blocked <= BLOCKED_MAX_S:
            break
        blocked = min(blocked, await worst_lag(heartbeat, BLOCK_S))
    measured = (
        f"With the loop blocked for {BLOCK_S:.2f} s your heartbeat's worst report was {blocked:.2f} s;"
        f" with a quiet loop, {quiet:.2f} s"
    )
    if not BLOCKED_MIN_S <= blocked <= BLOCKED_MAX_S:
        raise exercise.CheckFailed(f"{measured}. The blocked run should report about {BLOCK_S:.2f} s.")
    if quiet > QUIET_MAX_S:
        raise exercise.CheckFailed(f"{measured}. A quiet loop should report almost no lag: subtract the interval.")
    return f"{measured}: your heartbeat sees a blocked loop, and only a blocked loop."
