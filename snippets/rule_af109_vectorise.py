import time

values = list(range(2_000_000))

start = time.perf_counter()
total = 0
for v in values:  # one bytecode loop iteration per element
    total += v
python_loop = time.perf_counter() - start

start = time.perf_counter()
builtin_total = sum(values)  # the same loop, run in C
c_loop = time.perf_counter() - start

print(f"Python-level loop: {python_loop:.3f} s")
print(f"loop in C (sum):   {c_loop:.3f} s, {python_loop / c_loop:.0f}x faster")
print("NumPy/pandas vectorised calls work the same way: the loop moves into C")
