import exercise

JOBS = 6


def check(program):
    jobs = exercise.spans("job")
    done = sum(s.outcome == "done" for s in jobs)
    cancelled = sum(s.outcome == "cancelled" for s in jobs)
    running = sum(s.outcome == "running" for s in jobs)
    never = JOBS - len(jobs)
    measured = f"Of the {JOBS} queued jobs, {done} finished, {cancelled} were cancelled half-way"
    if running:
        measured += f", {running} were still running when the program ended"
    measured += f" and {never} never started"
    if done != JOBS:
        raise exercise.CheckFailed(f"{measured}: a graceful shutdown finishes the queued work first.")
    return f"All {JOBS} queued jobs finished before the workers were stopped ({exercise.wall(jobs):.2f} s)."
