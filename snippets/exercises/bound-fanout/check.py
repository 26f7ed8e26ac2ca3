import exercise

LIMIT = 5


def check(program):
    fetches = [s for s in exercise.spans("fetch") if s.outcome == "done"]
    if len(fetches) != 20:
        raise exercise.CheckFailed(f"{len(fetches)} of the 20 fetches finished: all twenty must complete.")
    peak = exercise.max_open(fetches)
    total, waits = exercise.wall(fetches), exercise.busy(fetches)
    if peak > LIMIT:
        raise exercise.CheckFailed(f"Up to {peak} fetches were open at the same moment; the limit is {LIMIT}.")
    if total > 0.6 * waits:
        raise exercise.CheckFailed(
            f"At most {peak} fetch open at once, and the 20 took {total:.2f} s, close to the {waits:.2f} s of their"
            f" waits one after another: let {LIMIT} run at the same time."
        )
    return f"At most {peak} fetches were open at once, and all 20 took {total:.2f} s instead of {waits:.2f} s."
