import exercise


def check(program):
    chunks = [s for s in exercise.spans("chunk") if s.outcome == "done"]
    requests = [s for s in exercise.spans("request") if s.outcome == "done"]
    if len(chunks) != 40:
        raise exercise.CheckFailed(f"{len(chunks)} of the 40 chunks of work ran: keep all of the work.")
    if len(requests) != exercise.OTHER_REQUESTS:
        raise exercise.CheckFailed(
            f"{len(requests)} of the {exercise.OTHER_REQUESTS} other requests were served: keep serve_others()"
            " running beside crunch()."
        )
    work = exercise.wall(chunks)
    cpu = exercise.busy(chunks)
    longest = max(s.duration for s in requests)
    measured = (
        f"The longest any other request waited for the loop was {longest:.2f} s, while the 40 chunks took {work:.2f} s"
    )
    if longest > 0.25 * cpu:
        raise exercise.CheckFailed(f"{measured}: nothing else could run until all the work was done.")
    return f"{measured} ({cpu:.2f} s of it computing): the loop stayed responsive, and the work was no faster for it."
