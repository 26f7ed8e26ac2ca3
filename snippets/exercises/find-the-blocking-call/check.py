import exercise

REQUESTS = 5
# Judged by what overlapped, not by the clock (a busy machine stretches every wait, never the overlap): with
# async_get the loop starts all five requests' calls of a kind before any of them can end, so all five are open at
# once; sync_get holds the loop until it returns, so its calls run one at a time, never two open at once.
CALLS = {"/profile/": "profile", "/avatar/": "avatar"}


def check(program):
    gets = [s for s in exercise.spans("get") if s.outcome == "done"]
    if len(gets) != 2 * REQUESTS:
        raise exercise.CheckFailed(f"{len(gets)} of the 10 calls (2 per request) finished: keep both calls.")
    groups = {name: [s for s in gets if s.label.startswith(prefix)] for prefix, name in CALLS.items()}
    if any(len(calls) != REQUESTS for calls in groups.values()):
        made = " and ".join(f"{len(calls)} {name}" for name, calls in groups.items())
        raise exercise.CheckFailed(
            f"The program made {made} calls that finished: keep one of each per request, with their URLs as in"
            " the starting code."
        )
    one_request = 2 * exercise.GET_S
    total = exercise.wall(gets)
    for calls in groups.values():
        at_once = exercise.max_open(calls)
        if at_once < REQUESTS:
            raise exercise.CheckFailed(
                f"The 5 requests took {total:.2f} s, but each waits only {one_request:.2f} s: run concurrently they"
                f" should take about {one_request:.2f} s. One of their calls ran one request at a time (at most"
                f" {at_once} of the {REQUESTS} in flight at once): it held the loop while it waited, and while it"
                " did no other request could make progress."
            )
    return (
        f"All {REQUESTS} profile calls were in flight at once, as were all {REQUESTS} avatar calls, so the 5"
        f" requests took {total:.2f} s where one alone waits {one_request:.2f} s: nothing blocks the loop."
    )
