import exercise

CHUNKS = 40
# "A few chunks": judged by how many chunks of work ran while a request waited for the loop, not by the clock. A
# busy machine can stretch a chunk, and the wait of the request behind it, but not change which ran while which
# waited: crunch() without an await makes one request wait through all 40 chunks, one await after every chunk makes
# each request wait through one.
MAX_CHUNKS_WAITED = 4


def chunks_during(request, chunks):
    """How many chunks ran (at least partly) while the request waited."""
    return sum(1 for c in chunks if c.start < request.end and c.end > request.start)


def check(program):
    chunks = [s for s in exercise.spans("chunk") if s.outcome == "done"]
    requests = [s for s in exercise.spans("request") if s.outcome == "done"]
    if len(chunks) != CHUNKS:
        raise exercise.CheckFailed(f"{len(chunks)} of the {CHUNKS} chunks of work ran: keep all of the work.")
    if len(requests) != exercise.OTHER_REQUESTS:
        raise exercise.CheckFailed(
            f"{len(requests)} of the {exercise.OTHER_REQUESTS} other requests were served: keep serve_others()"
            " running beside crunch()."
        )
    first, last = min(c.start for c in chunks), max(c.end for c in chunks)
    if not any(r.start < last and r.end > first for r in requests):
        raise exercise.CheckFailed(
            f"The {len(requests)} other requests were all served before the work began or after it ended: keep"
            " serve_others() running beside crunch(), as the starting code does."
        )
    work = exercise.wall(chunks)
    cpu = exercise.busy(chunks)
    worst = max(requests, key=lambda r: chunks_during(r, chunks))
    waited = chunks_during(worst, chunks)
    measured = (
        f"One of the other requests waited {worst.duration:.2f} s for the loop, through {waited} of the {CHUNKS}"
        f" chunks of work (all {CHUNKS} took {work:.2f} s)"
    )
    if waited == CHUNKS:
        raise exercise.CheckFailed(f"{measured}: nothing else could run until all the work was done.")
    if waited > MAX_CHUNKS_WAITED:
        raise exercise.CheckFailed(
            f"{measured}: give the loop back more often, so that no request waits through more than"
            f" {MAX_CHUNKS_WAITED} chunks."
        )
    return (
        f"No other request waited through more than {waited} chunk{'' if waited == 1 else 's'} of work (the longest"
        f" wait was {max(r.duration for r in requests):.2f} s), and the {CHUNKS} chunks took {work:.2f} s"
        f" ({cpu:.2f} s of it computing): the loop stayed responsive, and the work was no faster for it."
    )
