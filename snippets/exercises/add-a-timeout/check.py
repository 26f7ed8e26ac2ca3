import exercise

LIMIT_S = 0.2
ANSWERS = ("fast", "steady")  # they answer within LIMIT_S: their calls must finish
# A busy machine can hold the loop past a call's answer and its timeout both: then the timeout fires in the same
# turn as the answer, and cancels a call whose answer was already in. It can also hold the loop past the moment the
# stuck call was cut off, so that it ends late. Both are rare, and rarer still twice in a row, while a timeout that
# is too tight or too loose does the same on every try. So a run in which fast or steady was cancelled, or stuck
# was cut off late, is run again (best_price() alone, the spans recorded afresh), up to this often.
RETRIES = 2


def quotes():
    """The last call to each service, by name."""
    return {s.label: s for s in exercise.spans("quote")}


def held_up(calls):
    """Whether this run may have been disturbed by a busy machine (see RETRIES)."""
    if set(calls) != {"fast", "steady", "stuck"}:
        return False
    stuck = calls["stuck"]
    cut_late = stuck.outcome == "cancelled" and stuck.duration > 0.5 * exercise.QUOTE_S["stuck"]
    return cut_late or any(calls[name].outcome == "cancelled" for name in ANSWERS)


async def check(program):
    calls = quotes()
    best_price = program.get("best_price")
    for _ in range(RETRIES):
        if best_price is None or not held_up(calls):
            break
        kept = list(exercise.SPANS)
        exercise.SPANS.clear()
        try:
            await best_price()
        except Exception:  # judge the run the program itself made
            exercise.SPANS[:] = kept
            break
        calls = quotes()
    if set(calls) != {"fast", "steady", "stuck"}:
        raise exercise.CheckFailed(f"The program asked {sorted(calls)}: ask all three services.")
    stuck = calls["stuck"]
    natural = exercise.QUOTE_S["stuck"]
    for name in ANSWERS:
        if calls[name].outcome != "done":
            raise exercise.CheckFailed(
                f"The call to {name!r} was {calls[name].outcome} after {calls[name].duration:.2f} s: a service that"
                f" answers within {LIMIT_S} s must keep its answer."
            )
    if stuck.outcome == "done":
        raise exercise.CheckFailed(
            f"The call to the stuck service ran {stuck.duration:.2f} s until it answered: nothing cut it off."
        )
    if stuck.outcome == "running":
        raise exercise.CheckFailed(
            "The call to the stuck service was still running when the program ended: cancel it, don't abandon it."
        )
    if stuck.duration > 0.5 * natural:
        raise exercise.CheckFailed(
            f"The call to the stuck service was {stuck.outcome} after {stuck.duration:.2f} s, but it had to stop"
            f" after about {LIMIT_S} s."
        )
    return (
        f"The stuck service was cancelled after {stuck.duration:.2f} s (it would have taken {natural:.2f} s),"
        f" and the other two answered in {calls['fast'].duration:.2f} s and {calls['steady'].duration:.2f} s."
    )
