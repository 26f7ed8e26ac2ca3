"""For: a desktop GUI that waits on a sync-only driver that is not thread-safe or may crash (a vendor C SDK).

Copy this: run the calls in a small process pool ("spawn": the GUI process already has threads) so each worker has
its own driver and a crash cannot take the window down; done-callbacks post results to a queue.Queue drained by
Tk's `after` timer. `--gui` opens the window; without it (or with no display / tkinter) a stand-in loop runs.
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
TIMEOUT_S = 5.0
DEVICES = ["scanner", "printer", "scale"]


def read_device(name: str, timeout: float) -> str:
    """Read one device in a worker process, which owns its own driver state."""
    time.sleep(min(0.1, timeout))  # stands for: vendor_driver.open(name).read(timeout_ms=int(timeout * 1000))
    return f"{name}: ready (pid {os.getpid()})"


class Controller:
    """Everything but the widgets: submits calls and hands finished results to the UI thread."""

    def __init__(self) -> None:
        spawn = multiprocessing.get_context("spawn")  # forking a process that runs threads (Tk, the pool's) is unsafe
        self.pool = ProcessPoolExecutor(max_workers=2, mp_context=spawn)  # explicit: 2 devices talked to at once
        self.results: queue.Queue[str] = queue.Queue()
        self.pending = 0

    def start(self, names: list[str]) -> None:
        """Submit the calls and return at once (a button, on the UI thread)."""
        for name in names:
            self.pending += 1
            self.pool.submit(read_device, name, TIMEOUT_S).add_done_callback(self._done)

    def _done(self, future: Future[str]) -> None:  # runs on the pool's helper thread: touch only the queue
        if not future.cancelled():
            error = future.exception()  # a crashed worker arrives here as BrokenProcessPool: rebuild the pool
            self.results.put(f"failed: {error!r}" if error else future.result())

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
    tk.Button(root, text="Check devices", command=lambda: controller.start(DEVICES)).pack()

    def poll() -> None:
        for line in controller.drain():
            status.config(text=line)
        root.after(POLL_MS, poll)

    poll()
    root.mainloop()
    return True


def run_headless(controller: Controller) -> None:
    """Stand-in for the toolkit's loop: a 'frame' every POLL_MS, calling the same drain() as the Tk timer."""
    controller.start(DEVICES)
    frames, lines = 0, []
    while controller.pending:
        lines += controller.drain()
        frames += 1
        time.sleep(POLL_MS / 1000)
    ready = sum("ready" in line for line in lines)
    print(f"{ready}/{len(DEVICES)} devices ready, read in worker processes; UI loop kept drawing: {frames > 1}")


if __name__ == "__main__":  # required: the "spawn" workers import this module
    ui = Controller()
    try:
        if "--gui" not in sys.argv or not run_window(ui):
            run_headless(ui)
    finally:
        ui.pool.shutdown(cancel_futures=True)  # drops calls not started, waits for running ones (at most TIMEOUT_S)
