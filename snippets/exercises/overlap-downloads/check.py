import exercise


def check(program):
    downloads = [s for s in exercise.spans("download") if s.outcome == "done"]
    if len(downloads) != 5:
        raise exercise.CheckFailed(f"{len(downloads)} of the 5 downloads finished: all five must complete.")
    total, waits = exercise.wall(downloads), exercise.busy(downloads)
    longest = max(s.duration for s in downloads)
    measured = f"The 5 downloads took {total:.2f} s from the first start to the last end; their waits add up to"
    measured += f" {waits:.2f} s"
    if total > 0.6 * waits:
        raise exercise.CheckFailed(f"{measured}: they ran one after another.")
    return f"{measured}, the longest is {longest:.2f} s: they overlapped."
