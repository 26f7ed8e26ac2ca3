"""For: a desktop GUI (Tkinter here; Qt is alike) with a long computation behind a button (export, compress, hash).

Copy this: the work runs on a worker thread and posts progress to a queue.Queue that Tk's `after` timer drains;
a threading.Event lets Cancel stop it between chunks. `--gui` opens the window; without it, or with no display
or no tkinter, a stand-in loop drives the same Controller, so the file also runs headless.
"""

import queue
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

try:
    import tkinter as tk
except ImportError:  # some Python builds ship without Tk: the headless stand-in still runs
    tk = None

POLL_MS = 50
CHUNKS = [bytes([n]) * 200_000 + b"log line %d\n" % n * 20_000 for n in range(12)]


def compress_all(chunks: list[bytes], progress: queue.Queue[str], cancel: threading.Event) -> None:
    """Compress chunk by chunk on the worker thread, posting progress and stopping early if cancelled.

    zlib releases the GIL, so the UI thread stays fully responsive; a pure-Python loop here would still let the UI
    repaint (the GIL switches every 5 ms), but a long one belongs in a process pool.
    """
    packed = 0
    for done, chunk in enumerate(chunks, start=1):
        if cancel.is_set():
            progress.put("cancelled")
            return
        packed += len(zlib.compress(chunk, level=6))
        progress.put(f"{done}/{len(chunks)} chunks, {packed:,} bytes")
    progress.put("done")


class Controller:
    """Everything but the widgets: one job at a time on one worker thread."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compute")
        self.progress: queue.Queue[str] = queue.Queue()
        self.cancel = threading.Event()

    def start(self) -> None:
        """Start the job and return at once (the Start button, on the UI thread)."""
        self.cancel.clear()
        self.pool.submit(compress_all, CHUNKS, self.progress, self.cancel)

    def drain(self) -> list[str]:
        """Return every message posted since the last frame, without ever blocking (the UI timer)."""
        messages = []
        while not self.progress.empty():  # only the UI thread reads, so this cannot race
            messages.append(self.progress.get_nowait())
        return messages


def run_window(controller: Controller) -> bool:
    """Run the real window; return False if Tk cannot open one here."""
    if tk is None:
        return False
    try:
        root = tk.Tk()
    except tk.TclError:  # no display
        return False
    label = tk.Label(root, text="idle", width=40)
    label.pack()
    tk.Button(root, text="Start", command=controller.start).pack(side="left")
    tk.Button(root, text="Cancel", command=controller.cancel.set).pack(side="left")

    def poll() -> None:
        if messages := controller.drain():
            label.config(text=messages[-1])
        root.after(POLL_MS, poll)

    poll()
    root.mainloop()
    return True


def run_headless(controller: Controller) -> None:
    """Stand-in for the toolkit's loop: a 'frame' every POLL_MS, calling the same drain() as the Tk timer."""
    controller.start()
    frames, messages = 0, ["idle"]
    while messages[-1] not in ("done", "cancelled"):
        messages += controller.drain()
        frames += 1
        time.sleep(POLL_MS / 1000)
    print(f"job {messages[-1]} after {len(messages) - 2} progress updates; UI loop kept drawing: {frames > 1}")


if __name__ == "__main__":
    ui = Controller()
    try:
        if "--gui" not in sys.argv or not run_window(ui):
            run_headless(ui)
    finally:
        ui.cancel.set()  # closing the window stops the job at its next chunk
        ui.pool.shutdown(wait=False)
