"""For: a desktop GUI (Tkinter here; Qt is alike) whose buttons start slow network or disk calls.

Copy this: the main thread only updates widgets; a sized thread pool does the waiting and posts results to a
queue.Queue that the toolkit's timer (Tk's `after`) drains. `--gui` opens the window; without it, or with no
display or no tkinter, a stand-in loop drives the same Controller, so the file also runs headless.
"""

import queue
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor

try:
    import tkinter as tk
except ImportError:  # some Python builds ship without Tk: the headless stand-in still runs
    tk = None

POLL_MS = 50
TIMEOUT_S = 10.0
FEEDS = ["news", "weather", "stocks", "traffic"]


def fetch_feed(name: str, timeout: float) -> str:
    """Fetch one feed on a pool thread: blocking is fine here, never on the UI thread."""
    time.sleep(min(0.2, timeout))  # stands for: urllib.request.urlopen(f"{API}/{name}", timeout=timeout).read()
    return f"{name}: 12 new items"


class Controller:
    """Everything but the widgets: starts work and hands finished results to the UI thread."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="io")  # at most 4 downloads at once
        self.results: queue.Queue[str] = queue.Queue()
        self.pending = 0

    def start(self, names: list[str]) -> None:
        """Submit the downloads and return at once (a button, on the UI thread)."""
        for name in names:
            self.pending += 1
            self.pool.submit(fetch_feed, name, TIMEOUT_S).add_done_callback(self._done)

    def _done(self, future: Future[str]) -> None:  # runs on a pool thread: touch only the queue, never a widget
        if not future.cancelled():
            error = future.exception()
            self.results.put(f"failed: {error}" if error else future.result())

    def drain(self) -> list[str]:
        """Take whatever has finished, without ever blocking (the UI timer)."""
        done = []
        while not self.results.empty():  # only the UI thread reads, so this cannot race
            done.append(self.results.get_nowait())
        self.pending -= len(done)
        return done


def run_window(controller: Controller) -> bool:
    """Run the real window; return False if Tk cannot open one here."""
    if tk is None:
        return False
    try:
        root = tk.Tk()
    except tk.TclError:  # no display
        return False
    status = tk.Label(root, text="idle", width=40)
    status.pack()
    tk.Button(root, text="Refresh", command=lambda: controller.start(FEEDS)).pack()

    def poll() -> None:
        for line in controller.drain():
            status.config(text=line)
        root.after(POLL_MS, poll)

    poll()
    root.mainloop()
    return True


def run_headless(controller: Controller) -> None:
    """Stand-in for the toolkit's loop: a 'frame' every POLL_MS, calling the same drain() as the Tk timer."""
    controller.start(FEEDS)
    frames, lines = 0, []
    while controller.pending:
        lines += controller.drain()
        frames += 1
        time.sleep(POLL_MS / 1000)
    print(f"{len(lines)} feeds refreshed, UI loop kept drawing: {frames > 1}; {sorted(lines)}")


if __name__ == "__main__":
    ui = Controller()
    try:
        if "--gui" not in sys.argv or not run_window(ui):
            run_headless(ui)
    finally:
        ui.pool.shutdown(wait=False, cancel_futures=True)  # closing the window must not wait for stragglers
