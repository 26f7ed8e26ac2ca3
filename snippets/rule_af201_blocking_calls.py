"""Blocking calls a linter catches inside async def (ruff / flake8-async ASYNC2xx rules)."""

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path


async def save_report(folder: str, text: str) -> None:
    with open(Path(folder) / "report.txt", "w") as f:  # ASYNC230: blocking open()
        f.write(text)


async def run_tool() -> int:
    # ASYNC221: a blocking subprocess call
    proc = subprocess.run([sys.executable, "-c", "pass"], check=True)
    return proc.returncode


async def back_off() -> None:
    time.sleep(0.01)  # ASYNC251: blocking sleep in async def


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        await save_report(folder, "ok")
    print("tool exit code:", await run_tool())
    await back_off()
    print("each call above froze the event loop while it ran")


asyncio.run(main())
