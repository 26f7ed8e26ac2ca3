def parse_port(text: str) -> int:
    port = int(text)
    if not 0 < port < 65536:
        raise ValueError(f"port out of range: {port}")
    return port


print("parsing 8080 ->", parse_port("8080"))
print("parsing 99999 ->", parse_port("99999"))
