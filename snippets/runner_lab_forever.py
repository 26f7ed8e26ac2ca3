# Runs forever in the browser so you can try Stop; exits at once on CPython so the build finishes.
import sys

print("spinning: press Stop")
if sys.platform == "emscripten":
    while True:
        pass
print("(CPython at build time: skipped the endless loop)")
