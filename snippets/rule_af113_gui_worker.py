"""A GUI's event loop, simulated: the UI thread stays free while a worker thread does the slow job."""

import queue
import threading
import time

ui_events: queue.Queue[str] = queue.Queue()


def slow_export() -> None:
    time.sleep(0.3)  # the slow part: never on the UI thread
    ui_events.put("export finished")  # hand the result back to the UI thread


def ui_loop() -> None:
    threading.Thread(target=slow_export, daemon=True).start()
    redraws = 0
    while True:
        try:
            event = ui_events.get(timeout=1 / 60)  # one frame
        except queue.Empty:
            redraws += 1  # the window keeps repainting and answering clicks
            continue
        print(f"{event}; the UI redrew {redraws} frames meanwhile")
        return


ui_loop()
