"""For: a low-traffic queue worker (or web endpoint) whose jobs are CPU work: a few jobs a minute.

Copy this: handle one job at a time in a plain function, cap the input size, ack only after success.
At this load one process keeps up; if the queue starts to back up, run more worker processes (sync-processes).
"""

import hashlib
import queue
from collections import Counter

MAX_CHARS = 200_000  # cap each job: one huge input must not stall the worker for minutes
POLL_TIMEOUT_S = 1.0  # a blocking receive with a timeout, so a shutdown request is noticed


def summarise(text: str) -> dict[str, object]:
    """Summarise one text: the CPU step, plain Python, no pools; fast enough per job at this load."""
    if len(text) > MAX_CHARS:
        raise ValueError(f"job too large: {len(text)} chars")
    words = Counter(text.lower().split())
    return {"top": words.most_common(1)[0][0], "sha": hashlib.sha256(text.encode()).hexdigest()[:12]}


def run_worker(jobs: queue.Queue[str | None]) -> list[dict[str, object]]:
    """Receive, handle, ack: one job at a time until told to stop (None)."""
    done: list[dict[str, object]] = []
    while True:
        try:
            job = jobs.get(timeout=POLL_TIMEOUT_S)  # stands for: sqs.receive_message(WaitTimeSeconds=1)
        except queue.Empty:
            continue  # nothing to do: poll again (a real worker also checks for SIGTERM here)
        if job is None:
            return done
        try:
            done.append(summarise(job))
        except ValueError as exc:
            print(f"rejected: {exc}")  # stands for: send the message to the dead-letter queue
        jobs.task_done()  # stands for: sqs.delete_message(...), the ack, after the job is handled


if __name__ == "__main__":
    inbox: queue.Queue[str | None] = queue.Queue()
    for text in ("the cat sat on the mat " * 2_000, "x " * 150_000, "to be or not to be " * 3_000, None):
        inbox.put(text)
    results = run_worker(inbox)
    print(f"handled {len(results)} jobs:", ", ".join(f"{r['top']}/{r['sha']}" for r in results))
