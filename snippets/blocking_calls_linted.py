"""Blocking calls inside `async def` that a linter catches before production does.

This file is meant to be linted, not run in production: `ruff check --select ASYNC snippets/blocking_calls_linted.py`
and `flake8 --select ASYNC127,ASYNC2 snippets/blocking_calls_linted.py` (flake8-async defined the codes; ruff 0.17
does not yet recognise httpx2, flake8-async 26.6.1+ does). Running it only lists the coroutines it defines.
"""

import inspect
import os
import subprocess
import time
import urllib.request

import httpx2


async def fetch_report(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:  # ASYNC210: blocking HTTP call
        return response.read()


async def fetch_user(client: httpx2.Client, user_id: int) -> dict:
    return client.get(f"/users/{user_id}").json()  # ASYNC212 (flake8-async; ruff 0.17 knows only httpx.Client)


async def convert(path: str) -> None:
    subprocess.run(["convert", path, path + ".png"], check=True)  # ASYNC221: blocking subprocess


async def read_config(path: str) -> str:
    with open(path) as f:  # ASYNC230: blocking open()
        return f.read()


async def config_exists(path: str) -> bool:
    return os.path.exists(path)  # ASYNC240: blocking os.path call


async def ask_name() -> str:
    return input("name? ")  # ASYNC250: blocking input()


async def back_off() -> None:
    time.sleep(1)  # ASYNC251: time.sleep blocks the loop; use await asyncio.sleep(1)


if __name__ == "__main__":
    names = [name for name, obj in dict(globals()).items() if inspect.iscoroutinefunction(obj)]
    print(f"{len(names)} coroutine functions, each with one blocking call a linter flags: {', '.join(names)}")
    print("Lint them: ruff check --select ASYNC snippets/blocking_calls_linted.py")
