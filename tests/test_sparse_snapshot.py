"""The start-up snapshot's zero-page packing (docs/assets/runner/sparse.js), run under Node.

The browser side (a snapshot stored packed and restored, a refused one replaced) is in test_runner_browser.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

SPARSE = ROOT / "docs" / "assets" / "runner" / "sparse.js"

# Each case: [length, page size, [[offset, byte value], ...]]: a zeroed buffer with those bytes set.
CASES = {
    "empty": [0, 16, []],
    "all zero": [64, 16, []],
    "no zero page": [48, 16, [[0, 1], [16, 2], [47, 3]]],
    "zero pages between": [96, 16, [[3, 9], [70, 8]]],
    "partial last page, written": [40, 16, [[39, 5]]],
    "partial last page, zero": [40, 16, [[0, 5]]],
    "one page in wasm pages": [3 * 65536 + 7, 65536, [[65536 + 100, 1], [3 * 65536 + 6, 2]]],
    "unaligned word": [33, 16, [[17, 4], [31, 6]]],
}
ROUND_TRIP_JS = """
import { pack, unpack } from %(module)s;
const out = {};
for (const [name, [length, pageSize, writes]] of Object.entries(%(cases)s)) {
  const bytes = new Uint8Array(length);
  for (const [at, value] of writes) bytes[at] = value;
  const packed = pack(bytes, pageSize);
  const back = unpack(packed);
  const nonzeroPages = new Set(writes.map(([at]) => Math.floor(at / pageSize)));
  const kept = [...nonzeroPages].reduce((n, p) => n + Math.min(pageSize, length - p * pageSize), 0);
  out[name] = {
    same: back.length === length && back.every((b, i) => b === bytes[i]),
    packedBytes: packed.length,
    keptBytes: kept,
    runs: new DataView(packed.buffer).getUint32(12, true),
  };
}
console.log(JSON.stringify(out));
"""
# Damaged copies of a packed buffer that unpack must refuse with its own message, never a RangeError.
REFUSED_JS = """
import { pack, unpack } from %(module)s;
const bytes = new Uint8Array(100);
bytes[20] = 1; bytes[90] = 2;
const good = pack(bytes, 16);
const damaged = {
  short: good.subarray(0, 10),
  magic: Uint8Array.from(good, (b, i) => (i === 0 ? b ^ 1 : b)),
  truncated: good.subarray(0, good.length - 1),
  "left over": Uint8Array.of(...good, 0),
  "too many runs": (() => { const c = good.slice(); new DataView(c.buffer).setUint32(12, 1e6, true); return c; })(),
  "out of order": (() => {
    const c = good.slice(); const v = new DataView(c.buffer);
    v.setUint32(16, 5, true); v.setUint32(24, 1, true); return c;
  })(),
};
const out = {};
for (const [name, packed] of Object.entries(damaged)) {
  try { unpack(packed); out[name] = "accepted"; } catch (error) { out[name] = `${error.name}: ${error.message}`; }
}
console.log(JSON.stringify(out));
"""


def node_json(script: str) -> dict[str, object]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node is needed: `make test` installs it")
    source = script % {"module": json.dumps(SPARSE.as_uri()), "cases": json.dumps(CASES)}
    proc = subprocess.run(
        [node, "--no-warnings", "--input-type=module", "-e", source],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_unpack_gives_back_what_pack_took_and_zero_pages_are_left_out() -> None:
    results = node_json(ROUND_TRIP_JS)
    assert set(results) == set(CASES)
    for name, result in results.items():
        assert isinstance(result, dict)
        assert result["same"], name
        # Header (16 bytes), 8 bytes per run, then only the pages holding a non-zero byte.
        assert result["packedBytes"] == 16 + 8 * result["runs"] + result["keptBytes"], name
    assert results["zero pages between"]["runs"] == 2  # type: ignore[index]
    assert results["no zero page"]["runs"] == 1  # type: ignore[index]  # neighbouring pages: one run


def test_unpack_refuses_a_damaged_copy_with_a_message() -> None:
    results = node_json(REFUSED_JS)
    assert len(results) == 6
    for name, message in results.items():
        assert isinstance(message, str)
        assert message.startswith("Error: not a packed snapshot: "), (name, message)
