import exercise


def check(program):
    calls = {s.label: s for s in exercise.spans("quote")}
    if set(calls) != {"fast", "steady", "stuck"}:
        raise exercise.CheckFailed(f"The program asked {sorted(calls)}: ask all three services.")
    stuck = calls["stuck"]
    natural = exercise.QUOTE_S["stuck"]
    for name in ("fast", "steady"):
        if calls[name].outcome != "done":
            raise exercise.CheckFailed(
                f"The call to {name!r} was {calls[name].outcome} after {calls[name].duration:.2f} s: a service that"
                " answers within 0.2 s must keep its answer."
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
            " after about 0.2 s."
        )
    return (
        f"The stuck service was cancelled after {stuck.duration:.2f} s (it would have taken {natural:.2f} s),"
        f" and the other two answered in {calls['fast'].duration:.2f} s and {calls['steady'].duration:.2f} s."
    )
