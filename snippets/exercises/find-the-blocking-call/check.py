import exercise


def check(program):
    gets = [s for s in exercise.spans("get") if s.outcome == "done"]
    if len(gets) != 10:
        raise exercise.CheckFailed(f"{len(gets)} of the 10 calls (2 per request) finished: keep both calls.")
    one_request = 2 * exercise.GET_S
    total = exercise.wall(gets)
    if total > 1.5 * one_request:
        raise exercise.CheckFailed(
            f"The 5 requests took {total:.2f} s, but each waits only {one_request:.2f} s: run concurrently they"
            f" should take about {one_request:.2f} s. Something held the loop for about {total - one_request:.2f} s,"
            " and while it did no other request could make progress."
        )
    return f"The 5 requests took {total:.2f} s, about as long as one ({one_request:.2f} s): nothing blocks the loop."
