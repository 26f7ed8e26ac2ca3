import asyncio
import logging
import re
import time


class PrintShort(logging.Handler):
    """Print log records without the file paths that debug mode adds."""

    def emit(self, record: logging.LogRecord) -> None:
        message = re.sub(r" (defined|created) at [^>]*", "", record.getMessage())
        print(f"{record.name}: {message}")


logging.getLogger("asyncio").addHandler(PrintShort())


async def hog_the_loop() -> None:
    end = time.perf_counter() + 0.15
    while time.perf_counter() < end:  # CPU work with no await: the loop is stuck here
        pass


async def main() -> None:
    await asyncio.gather(hog_the_loop(), asyncio.sleep(0.01))


asyncio.run(main(), debug=True)  # same as PYTHONASYNCIODEBUG=1 or python -X dev
