import time
from concurrent.futures import ThreadPoolExecutor


def download(url: str) -> int:
    time.sleep(0.05)  # a blocking HTTP call (requests.get, boto3, ...)
    return len(url)


urls = [f"https://example.invalid/file/{i}" for i in range(20)]

start = time.perf_counter()
sizes = [download(u) for u in urls]
sequential = time.perf_counter() - start

start = time.perf_counter()
with ThreadPoolExecutor(max_workers=10) as pool:
    pooled = list(pool.map(download, urls))
threaded = time.perf_counter() - start

print(f"20 blocking downloads, one by one:       {sequential:.2f} s")
print(f"20 blocking downloads, 10-thread pool:   {threaded:.2f} s")
print("no async def anywhere: sync code, waits overlapped by threads")
