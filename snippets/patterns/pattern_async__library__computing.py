"""For: a package others import that computes over streamed data (a parser, a decoder) for sync and async callers.

Copy this: a sans-I/O core that does the CPU work one chunk at a time, wrapped by a sync parse() and an async
aparse(). Async only lets the caller's loop await the stream; each chunk's CPU is brief, so the loop is never held
long. No pools inside: a caller with huge chunks runs parse() in their own process pool. No asyncio.run either.
"""

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator


class _Decoder:
    """The CPU work, no I/O: turns bytes into (name, value) records, however the bytes are split into chunks."""

    def __init__(self) -> None:
        self._tail = b""

    def feed(self, chunk: bytes) -> list[tuple[str, int]]:
        """Decode every complete line in `chunk` (plus what was left over); keep the partial last line."""
        *lines, self._tail = (self._tail + chunk).split(b"\n")
        return [_record(line) for line in lines if line]

    def close(self) -> list[tuple[str, int]]:
        """Decode the final line, if the stream did not end with a newline."""
        return [_record(self._tail)] if self._tail else []


def _record(line: bytes) -> tuple[str, int]:
    name, _, value = line.decode().partition("=")
    return name.strip(), int(value)


def parse(chunks: Iterable[bytes]) -> Iterator[tuple[str, int]]:
    """Sync API: records from any iterable of byte chunks (a file opened "rb", a socket reader)."""
    decoder = _Decoder()
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.close()


async def aparse(chunks: AsyncIterable[bytes]) -> AsyncIterator[tuple[str, int]]:
    """Async API: the same records from an async stream (aiofiles, an aiohttp response's iter_chunked)."""
    decoder = _Decoder()
    async for chunk in chunks:
        for record in decoder.feed(chunk):
            yield record
    for record in decoder.close():
        yield record


DATA = b"".join(b"sensor%d = %d\n" % (n % 5, n) for n in range(2_000))


async def _stream(size: int) -> AsyncIterator[bytes]:  # caller code from here on: the application owns the loop
    for start in range(0, len(DATA), size):
        await asyncio.sleep(0)  # stands for: await response.content.read(size)
        yield DATA[start : start + size]


async def _async_caller() -> int:
    return sum([value async for _, value in aparse(_stream(size=1_000))])


if __name__ == "__main__":
    print("sync caller: ", sum(value for _, value in parse([DATA[:777], DATA[777:]])))
    print("async caller:", asyncio.run(_async_caller()))
