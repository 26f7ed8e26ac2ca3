"""For: a desktop GUI whose button starts heavy pure-Python CPU work that splits into pieces (render, simulate).

Copy this: a process pool ("spawn": the GUI process already has threads) sized to the spare cores does the pieces;
done-callbacks post progress to a queue.Queue drained by Tk's `after` timer; Cancel drops the pieces not started.
`--gui` opens the window; without it (or with no display / tkinter) a stand-in loop drives the same Controller.
"""

import multiprocessing
import os
import queue
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor

try:
    import tkinter as tk
except ImportError:  # some Python builds ship without Tk: the headless stand-in still runs
    tk = None

POLL_MS = 50
PIECES = 12


# Usable cores, minus one for the UI. os.cpu_count() ignores container CPU quotas and sched_getaffinity honours
# cpusets only: under a CPU quota, pass an explicit number instead.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
WORKERS = max(1, CORES - 1)


def render_tile(tile: int) -> int:
    """One piece: a pure-Python loop that holds the GIL, so it runs in a worker process to use another core."""
    value = tile
    for _ in range(100_000):
        value = (value * 1_103_515_245 + 12_345) % 2**31
    return value % 256


class Controller:
    """Everything but the widgets: submits the pieces and reports progress to the UI thread."""

    def __init__(self) -> None:
        spawn = multiprocessing.get_context("spawn")  # forking a process that runs threads (Tk, the pool's) is unsafe
        self.pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=spawn)
        self.done: queue.Queue[int] = queue.Queue()
        self.futures: list[Future[int]] = []
        self.finished: list[int] = []

    def start(self) -> None:
        """Submit every piece and return at once (the Start button, on the UI thread)."""
        self.futures = [self.pool.submit(render_tile, tile) for tile in range(PIECES)]
        for future in self.futures:
            future.add_done_callback(self._done)

    def cancel(self) -> None:
        """Drop the pieces not yet started; running ones finish (the Cancel button)."""
        for future in self.futures:
            future.cancel()

    def _done(self, future: Future[int]) -> None:  # runs on the pool's helper thread: touch only the queue
        if not future.cancelled() and future.exception() is None:
            self.done.put(future.result())

    def progress(self) -> str:
        """Fold in what finished since the last frame, without ever blocking (the UI timer)."""
        while not self.done.empty():  # only the UI thread reads, so this cannot race
            self.finished.append(self.done.get_nowait())
        return f"{len(self.finished)}/{PIECES} tiles"


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
    tk.Button(root, text="Cancel", command=controller.cancel).pack(side="left")

    def poll() -> None:
        label.config(text=controller.progress())
        root.after(POLL_MS, poll)

    poll()
    root.mainloop()
    return True


def run_headless(controller: Controller) -> None:
    """Stand-in for the toolkit's loop: a 'frame' every POLL_MS, calling the same progress() as the Tk timer."""
    controller.start()
    frames = 0
    while len(controller.finished) < PIECES:
        controller.progress()
        frames += 1
        time.sleep(POLL_MS / 1000)
    print(f"{controller.progress()} rendered, checksum {sum(controller.finished)}; UI loop kept drawing: {frames > 1}")


if __name__ == "__main__":  # required: the "spawn" workers import this module
    ui = Controller()
    try:
        if "--gui" not in sys.argv or not run_window(ui):
            run_headless(ui)
    finally:
        ui.pool.shutdown(cancel_futures=True)  # drops the pieces not started, waits for the running ones
