import threading
import time


def work() -> None:
    time.sleep(0.1)


start = time.perf_counter()
threads = [threading.Thread(target=work) for _ in range(5)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"5 threads sleeping 0.1 s each took {time.perf_counter() - start:.1f} s")
