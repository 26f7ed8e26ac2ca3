"""create_task is not a job queue: background work dies with the process that runs it.

A web handler "sends the welcome e-mail in the background" with asyncio.create_task and returns. Here a child
process does that, then exits abruptly, as a worker does when it is OOM-killed, redeployed or crashes, 0.05 s into
a 0.2 s job. The job never finishes and nothing records that it was lost. A task queue (Celery, RQ, Dramatiq, arq)
writes the job to a broker first, so another worker can run it after the crash, and retries it if it fails.
Needs a child process (CPython). Run it: python snippets/create_task_is_not_a_queue.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import asyncio, os, sys
from pathlib import Path

done = Path(sys.argv[1])
background = set()

async def send_welcome_email():
    await asyncio.sleep(0.2)          # talking to the mail server
    done.write_text("sent")

async def handler():
    task = asyncio.create_task(send_welcome_email())
    background.add(task)              # a reference is kept (AF205): that is not the problem here
    task.add_done_callback(background.discard)
    return "202 Accepted"

async def main():
    print(await handler(), flush=True)
    await asyncio.sleep(0.05)
    os._exit(137)                     # the worker is killed: no cleanup, no shutdown

asyncio.run(main())
"""


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        marker = Path(tmp) / "email-sent"
        command = [sys.executable, "-c", CHILD, str(marker)]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)  # noqa: S603
        return {"response": proc.stdout.strip(), "exit_code": proc.returncode, "email_sent": marker.exists()}


if __name__ == "__main__":
    r = run()
    print(f"the handler answered {r['response']!r}; the worker then died (exit code {r['exit_code']})")
    print(f"was the e-mail sent? {r['email_sent']}: the job was only in the dead process's memory")
