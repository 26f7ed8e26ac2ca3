import asyncio

from exercise import send_receipt


async def checkout(order):
    asyncio.create_task(send_receipt(order))  # fire and forget
    return f"order {order} confirmed"


async def main():
    for order in range(3):
        print(await checkout(order))


asyncio.run(main())
