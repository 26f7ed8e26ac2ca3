import asyncio

from exercise import send_receipt

background = set()


async def checkout(order):
    task = asyncio.create_task(send_receipt(order))
    background.add(task)  # a strong reference until it is done
    task.add_done_callback(background.discard)
    return f"order {order} confirmed"


async def main():
    for order in range(3):
        print(await checkout(order))
    await asyncio.gather(*background)  # don't end with receipts still being sent


asyncio.run(main())
