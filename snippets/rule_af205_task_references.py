import asyncio

background_tasks: set[asyncio.Task[None]] = set()


async def send_email(to: str) -> None:
    await asyncio.sleep(0.05)
    print("sent to", to)


def fire_and_forget(to: str) -> None:
    task = asyncio.create_task(send_email(to))
    background_tasks.add(task)  # a strong reference: the task cannot be garbage-collected
    task.add_done_callback(background_tasks.discard)  # ... and it is dropped once done


async def main() -> None:
    for who in ("ada", "grace"):
        fire_and_forget(who)
    print("tasks in flight:", len(background_tasks))
    await asyncio.sleep(0.1)
    print("tasks in flight:", len(background_tasks))


asyncio.run(main())
