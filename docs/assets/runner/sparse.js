// Zero-page packing of the start-up snapshot (worker.js stores it, and reads it on every returning visit).
//
// Why: Pyodide's memory snapshot is the interpreter's whole WebAssembly memory, about 31 MB, and most of it is
// pages that were never written (about 19 MB of zeros, in pages of 64 KiB, measured under Node with the Pyodide
// build the site ships). Leaving them out makes the copy a reader's browser keeps about 13 MB, and putting them
// back costs only a zeroed allocation and copying the rest (11 ms; packing, on a first visit, 42 ms). It saves
// storage, not time: the read got shorter, but a returning reader's start measured no faster (docs/performance.md).
// (General compression would save more bytes but costs more: gunzipping a 6 MB gzip copy through
// DecompressionStream measured about 0.3 s slower.)
//
// Format, little-endian (the layout is private to this site: a stored copy in another layout is refused, and
// worker.js then starts Python the ordinary way and stores a fresh one):
//
//   "AFZ1"                      4 bytes, MAGIC
//   page size                   u32
//   unpacked length             u32 (bytes; the last page may be partial)
//   number of runs              u32
//   runs                        (first page u32, page count u32) each, in increasing page order
//   data                        the runs' bytes, one after another (the last run may end on a partial page)
//
// Pure functions, no access to the worker's state: tests/test_sparse_snapshot.py runs them under Node.

/** The first four bytes of a packed snapshot ("AFZ1"). */
const MAGIC = 0x315a4641;
/** Bytes per page: WebAssembly's page size, so the unwritten memory comes in whole pages. */
const PAGE_SIZE = 65536;
const HEADER_BYTES = 16;
const RUN_BYTES = 8;

/**
 * Whether bytes[start, end) are all zero.
 * @param {Uint8Array} bytes
 * @param {number} start
 * @param {number} end
 * @returns {boolean}
 */
function allZero(bytes, start, end) {
  let i = start;
  // Eight bytes at a time where the view allows it (a memory snapshot starts at offset 0 of its buffer).
  if ((bytes.byteOffset + start) % 8 === 0) {
    const words = new BigUint64Array(bytes.buffer, bytes.byteOffset + start, Math.floor((end - start) / 8));
    for (let w = 0; w < words.length; w++) if (words[w] !== 0n) return false;
    i = start + words.length * 8;
  }
  for (; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Pack `bytes`, leaving out its all-zero pages.
 * @param {Uint8Array} bytes
 * @param {number} [pageSize]
 * @returns {Uint8Array}
 */
export function pack(bytes, pageSize = PAGE_SIZE) {
  const pages = Math.ceil(bytes.length / pageSize);
  /** @type {[number, number][]} */
  const runs = [];
  let dataBytes = 0;
  for (let page = 0; page < pages; page++) {
    const start = page * pageSize;
    const end = Math.min(start + pageSize, bytes.length);
    if (allZero(bytes, start, end)) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === page) last[1] += 1;
    else runs.push([page, 1]);
    dataBytes += end - start;
  }
  const out = new Uint8Array(HEADER_BYTES + RUN_BYTES * runs.length + dataBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, pageSize, true);
  view.setUint32(8, bytes.length, true);
  view.setUint32(12, runs.length, true);
  let at = HEADER_BYTES;
  for (const [first, count] of runs) {
    view.setUint32(at, first, true);
    view.setUint32(at + 4, count, true);
    at += RUN_BYTES;
  }
  for (const [first, count] of runs) {
    const start = first * pageSize;
    const end = Math.min(start + count * pageSize, bytes.length);
    out.set(bytes.subarray(start, end), at);
    at += end - start;
  }
  return out;
}

/**
 * Unpack what `pack` made.
 * @param {Uint8Array} packed
 * @returns {Uint8Array} the original bytes
 * @throws {Error} when `packed` is not a whole packed snapshot (another layout, truncated, inconsistent)
 */
export function unpack(packed) {
  const fail = (/** @type {string} */ why) => new Error(`not a packed snapshot: ${why}`);
  if (packed.length < HEADER_BYTES) throw fail(`${packed.length} bytes, shorter than the header`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw fail("wrong magic number");
  const pageSize = view.getUint32(4, true);
  const length = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  if (pageSize === 0) throw fail("page size 0");
  let at = HEADER_BYTES + RUN_BYTES * count;
  if (at > packed.length) throw fail(`${count} runs do not fit in ${packed.length} bytes`);
  const out = new Uint8Array(length);
  let nextPage = 0;
  for (let run = 0; run < count; run++) {
    const first = view.getUint32(HEADER_BYTES + RUN_BYTES * run, true);
    const pages = view.getUint32(HEADER_BYTES + RUN_BYTES * run + 4, true);
    const start = first * pageSize;
    const end = Math.min(start + pages * pageSize, length);
    if (first < nextPage || pages === 0 || start >= length) throw fail(`run ${run} is out of order or range`);
    if (at + end - start > packed.length) throw fail(`run ${run} is cut short`);
    out.set(packed.subarray(at, at + end - start), start);
    at += end - start;
    nextPage = first + pages;
  }
  if (at !== packed.length) throw fail(`${packed.length - at} bytes left over`);
  return out;
}
