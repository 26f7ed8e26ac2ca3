import sys

try:
    name = input("Who is there? ")
except EOFError:
    name = "nobody (stdin is closed)"
print(f"Hello, {name}!")
print(f"sys.stdin.readline() read {sys.stdin.readline()!r}")
