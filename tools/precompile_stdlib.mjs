// Add bytecode for the modules Python imports while it starts to Pyodide's standard library zip (issue 14).
//
//   node tools/precompile_stdlib.mjs OUT.zip
//
// Why: Pyodide 314's python_stdlib.zip holds only `.py` sources, so every module imported while Python starts
// (125 of them, from `encodings` to `typing`, `inspect` and `asyncio`; the other start-up modules are frozen
// into the interpreter and need none) is compiled from source on each first visit, by WebAssembly code that
// has not been optimised yet. In Chromium on a two-core machine that is most of a first visit's start
// (measured: `import _pyodide_core`, the step that imports them, takes 2.1 to 2.3 s of a 3 s start; with
// bytecode for those modules Python starts in about 1.2 s). Pyodide's maintainers describe the
// same cost (https://github.com/pyodide/pyodide/issues/3050).
//
// What it writes: a copy of node_modules/pyodide/python_stdlib.zip, every entry kept (the sources stay, so
// tracebacks and inspect.getsource still show stdlib lines), plus `<module>.pyc` next to `<module>.py` for each
// module that is imported once Python has started and the runner's support code (SUPPORT_PY in
// docs/assets/runner/worker.js) has run. zipimport prefers a `.pyc` found beside the `.py`
// (https://docs.python.org/3/library/zipimport.html).
//
// The bytecode is compiled here, by the same Pyodide build the site ships (the same CPython, so the same magic
// number and marshal format), with the file name zipimport itself would give the code, and stored as an
// unchecked hash-based pyc (PEP 552, https://peps.python.org/pep-0552/): it is never compared with its source,
// which cannot change inside the zip. The output is the same for the same inputs (entries keep the original
// timestamps; no build time is recorded).
//
// Run by tools/vendor.py. Exit code 2 with one line on stderr when something is missing or fails.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PYODIDE_DIR = path.join(ROOT, "node_modules", "pyodide");
const WORKER_JS = path.join(ROOT, "docs", "assets", "runner", "worker.js");

/**
 * The runner's support code, as the worker hands it to Python: the text of worker.js's SUPPORT_PY template
 * literal with its escapes undone (it has no substitutions; `\\` is the only escape it uses).
 * @param {string} source  worker.js
 * @returns {string}
 */
function supportPython(source) {
  const match = /const SUPPORT_PY = `([^`]*)`;/.exec(source);
  if (!match) throw new Error("docs/assets/runner/worker.js: no `const SUPPORT_PY = `...`;` found");
  return match[1].replace(/\\\\/g, "\\");
}

const PRECOMPILE_PY = `
import importlib.util, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

ARCHIVE = next(p for p in sys.path if p.endswith(".zip"))  # /lib/python314.zip, where the stdlib is mounted


def started_modules():
    """Names inside the archive of the source files of every module imported so far."""
    prefix = ARCHIVE + "/"
    names = set()
    for module in list(sys.modules.values()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
        if origin.startswith(prefix) and origin.endswith(".py"):
            names.add(origin[len(prefix):])
    return names


def precompile(source_zip, out_zip, names):
    added = 0
    with zipfile.ZipFile(source_zip) as zin, zipfile.ZipFile(out_zip, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data, compress_type=info.compress_type)
            if info.filename in names:
                source = importlib.util.decode_source(data)  # what zipimport compiles (line endings normalised)
                code = compile(source, ARCHIVE + "/" + info.filename, "exec", dont_inherit=True)
                pyc = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
                pyc.compress_type = zipfile.ZIP_DEFLATED
                pyc.external_attr = info.external_attr
                zout.writestr(pyc, bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)),
                              compresslevel=9)
                added += 1
    return added
`;

async function main() {
  const [out] = process.argv.slice(2);
  if (!out) throw new Error("usage: node tools/precompile_stdlib.mjs OUT.zip");
  const { loadPyodide } = await import(path.join(PYODIDE_DIR, "pyodide.mjs"));
  const pyodide = await loadPyodide({ indexURL: `${PYODIDE_DIR}/` });
  pyodide.runPython(supportPython(await readFile(WORKER_JS, "utf8")), { globals: pyodide.toPy({}) });
  const tools = pyodide.toPy({});
  pyodide.runPython(PRECOMPILE_PY, { globals: tools });
  const names = tools.get("started_modules")();
  pyodide.FS.writeFile("/tmp/stdlib.zip", await readFile(path.join(PYODIDE_DIR, "python_stdlib.zip")));
  const added = tools.get("precompile")("/tmp/stdlib.zip", "/tmp/out.zip", names);
  if (added === 0) throw new Error("no module of the standard library zip was imported: nothing to precompile");
  await writeFile(out, pyodide.FS.readFile("/tmp/out.zip"));
  process.stdout.write(`precompiled ${added} standard library modules into ${path.relative(ROOT, out)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`tools/precompile_stdlib.mjs: ${error.message.split("\n")[0]}\n`);
    process.exit(2);
  });
}
