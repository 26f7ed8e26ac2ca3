import exercise


def check(program):
    chunks = [s for s in exercise.spans("chunk") if s.outcome == "done"]
    ticks = exercise.spans("tick")
    if len(chunks) != 40:
        raise exercise.CheckFailed(f"{len(chunks)} of the 40 chunks of work ran: keep all of the work.")
    if len(ticks) < 2:
        raise exercise.CheckFailed("The heartbeat did not tick: keep main() as it is and change crunch().")
    work = exercise.wall(chunks)
    cpu = exercise.busy(chunks)
    gap = exercise.longest_gap(ticks)
    measured = f"The heartbeat's longest gap was {gap:.2f} s, while the 40 chunks took {work:.2f} s"
    if gap > 0.25 * cpu:
        raise exercise.CheckFailed(f"{measured}: nothing else could run until all the work was done.")
    return f"{measured} ({cpu:.2f} s of it computing): the loop stayed responsive, and the work was no faster for it."
