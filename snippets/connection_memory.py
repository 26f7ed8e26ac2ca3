"""What does an idle connection cost in an async server, and what does an idle thread cost? Measured, not guessed.

Async: N TCP connections to a local asyncio server, both ends in this process, each end a StreamReader/StreamWriter
and its transport; the server side also holds one handler task per connection parked on `await reader.read()`.
tracemalloc counts the Python-level memory (objects, buffers); the kernel's socket buffers come on top.
Threads: N threads each blocked on an Event. Linux reserves each thread's stack (8 MB by default) as virtual memory
but commits only the pages the thread touches: VmSize grows by the reservation, VmRSS by far less.
Run it: python snippets/connection_memory.py
"""

import asyncio
import threading
import tracemalloc
from pathlib import Path

N = 200
STATUS = Path("/proc/self/status")


async def idle_connections(n: int = N) -> float:
    """Python-level bytes per idle connection (server end + client end), measured with tracemalloc."""
    handlers: list[asyncio.Task] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append(asyncio.current_task())
        await reader.read(1)  # an idle connection: waits for a byte that comes only at the end
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    clients = [await asyncio.open_connection("127.0.0.1", port) for _ in range(n)]
    while len(handlers) < n:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # every handler is parked on its read
    per_connection = (tracemalloc.get_traced_memory()[0] - before) / n
    tracemalloc.stop()
    for _, writer in clients:
        writer.write(b"x")
        writer.close()
    await asyncio.gather(*handlers)
    server.close()
    await server.wait_closed()
    return per_connection


def _status_kib(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def idle_threads(n: int = N) -> dict[str, float] | None:
    """KiB of virtual (reserved) and resident (committed) memory per idle thread; None where /proc is missing."""
    if not STATUS.is_file():
        return None
    release = threading.Event()
    size, rss = _status_kib("VmSize"), _status_kib("VmRSS")
    threads = [threading.Thread(target=release.wait) for _ in range(n)]
    for thread in threads:
        thread.start()
    grown = {"reserved_kib": (_status_kib("VmSize") - size) / n, "resident_kib": (_status_kib("VmRSS") - rss) / n}
    release.set()
    for thread in threads:
        thread.join()
    return grown


def measure(n: int = N) -> dict[str, float | None]:
    threads = idle_threads(n)
    return {
        "async_bytes_per_connection": asyncio.run(idle_connections(n)),
        "thread_reserved_kib": None if threads is None else threads["reserved_kib"],
        "thread_resident_kib": None if threads is None else threads["resident_kib"],
    }


if __name__ == "__main__":
    m = measure()
    print(f"{N} idle TCP connections on one event loop (both ends in this process, no TLS):")
    print(f"  Python-level memory per connection: {m['async_bytes_per_connection'] / 1024:.1f} KiB (tracemalloc)")
    if m["thread_reserved_kib"] is None:
        print("Threads: /proc/self/status is not available here (Linux only)")
    else:
        print(f"{N} idle threads, each blocked on an Event:")
        print(f"  virtual memory reserved per thread: {m['thread_reserved_kib'] / 1024:.1f} MiB (mostly its stack)")
        print(f"  resident memory committed per thread: {m['thread_resident_kib']:.0f} KiB")
