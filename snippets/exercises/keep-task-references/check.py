import exercise

ORDERS = 3


def check(program):
    receipts = exercise.spans("receipt")
    done = sum(s.outcome == "done" for s in receipts)
    cancelled = sum(s.outcome == "cancelled" for s in receipts)
    running = sum(s.outcome == "running" for s in receipts)
    if len(receipts) != ORDERS:
        raise exercise.CheckFailed(f"{len(receipts)} receipts were started for {ORDERS} orders: send one per order.")
    if done != ORDERS:
        raise exercise.CheckFailed(
            f"When the program ended, {done} of the {ORDERS} receipts had been sent; {cancelled} were cancelled"
            f" and {running} were still running: nothing waited for them."
        )
    if exercise.max_open(receipts) < 2:
        raise exercise.CheckFailed(
            f"The {ORDERS} receipts were sent one after another ({exercise.wall(receipts):.2f} s): each order's"
            " confirmation waited for its receipt instead of sending it in the background."
        )
    return f"All {ORDERS} receipts were sent before the program ended, while each order was confirmed at once."
