"""Two modules in one codebase, each with one model; the boundary between them is explicit."""

import asyncio


# --- reports.py: a sync module (think Django view or CLI command) -----------------------
def build_report(user_ids: list[int]) -> str:
    names = asyncio.run(fetch_names(user_ids))  # the one async entry point, at the edge
    return ", ".join(names)


# --- client.py: an async module (think FastAPI service code) ----------------------------
async def fetch_name(user_id: int) -> str:
    await asyncio.sleep(0.05)  # an async HTTP call in real code
    return f"user-{user_id}"


async def fetch_names(user_ids: list[int]) -> list[str]:
    return await asyncio.gather(*(fetch_name(u) for u in user_ids))


print(build_report([1, 2, 3]))
