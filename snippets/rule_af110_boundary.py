import asyncio
import hashlib


# sync, all the way down: plain functions calling plain functions
def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


# async, all the way down: coroutines awaiting coroutines
async def download(name: str) -> bytes:
    await asyncio.sleep(0.05)
    return name.encode() * 1000


async def process(name: str) -> str:
    data = await download(name)
    # boundary async -> sync: a blocking or heavy sync call goes through to_thread
    return await asyncio.to_thread(checksum, data)


async def main() -> None:
    print(await asyncio.gather(process("a"), process("b")))


# boundary sync -> async: asyncio.run, once, at the top of the program
asyncio.run(main())
