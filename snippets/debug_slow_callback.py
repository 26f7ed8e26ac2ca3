"""Asyncio debug mode names the culprit: any callback or task step holding the loop for longer than
loop.slow_callback_duration (0.1 s by default) is logged as a warning by the "asyncio" logger.

Same switch: PYTHONASYNCIODEBUG=1, python -X dev, or asyncio.run(main(), debug=True).
Run it: python snippets/debug_slow_callback.py
"""

import asyncio
import logging
import sys
import time


async def load_report() -> None:
    time.sleep(0.15)  # a blocking call hidden inside a coroutine


async def main() -> None:
    loop = asyncio.get_running_loop()
    print(f"debug mode: {loop.get_debug()}, slow_callback_duration: {loop.slow_callback_duration} s")
    await asyncio.gather(load_report(), asyncio.sleep(0.01))


def captured_warnings() -> list[str]:
    """Run main() in debug mode and return what the asyncio logger reported."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("asyncio")
    logger.addHandler(handler)
    try:
        asyncio.run(main(), debug=True)
    finally:
        logger.removeHandler(handler)
    return [record.getMessage() for record in records if record.levelno >= logging.WARNING]


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stdout)  # print the asyncio logger's warnings (in order with our prints)
    asyncio.run(main(), debug=True)
