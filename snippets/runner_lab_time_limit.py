# Never ends in the browser, and nobody presses Stop: its fence sets limit="3", so the runner stops it after 3 s
# (every example has a limit: 30 s unless its fence says otherwise). Exits at once on CPython so the build finishes.
import itertools
import sys

print("counting, with a 3 s time limit")
if sys.platform == "emscripten":
    for _ in itertools.count():
        pass
print("(CPython at build time: skipped the endless count)")
