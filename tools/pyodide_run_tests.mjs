// Run the wizard's engine checks INSIDE Pyodide under Node (offline: Pyodide comes from node_modules/pyodide).
//
//   node tools/pyodide_run_tests.mjs --wheel docs/vendor/wheels/asyncfit-0.1.0-py3-none-any.whl \
//        [--checks tests/pyodide_wizard_checks.py]
//
// Steps: load Pyodide from the npm package; unpack the wheel into site-packages with pyodide.unpackArchive
// (micropip is not shipped in the npm package, and a pure-Python wheel needs no installer); run the checks
// module and call its main(). Python's output is streamed to stdout; the last line is the module's
// `RESULT {...}` JSON report. Exit code: 0 all checks passed, 1 a check failed, 2 bad usage or Pyodide failure.

import { readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Parse `--name value` pairs from the command line.
 * @param {string[]} argv
 * @returns {{wheel: string, checks: string}}
 */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const options = { checks: path.join(ROOT, "tests", "pyodide_wizard_checks.py") };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!["--wheel", "--checks"].includes(name) || value === undefined) {
      throw new Error(`usage: node tools/pyodide_run_tests.mjs --wheel FILE.whl [--checks FILE.py] (bad: ${name})`);
    }
    options[name.slice(2)] = value;
  }
  if (!options.wheel) {
    throw new Error("usage: node tools/pyodide_run_tests.mjs --wheel FILE.whl [--checks FILE.py]");
  }
  return /** @type {{wheel: string, checks: string}} */ (options);
}

/**
 * Load Pyodide, install the wheel, run the checks; resolve to the exit code.
 * @param {{wheel: string, checks: string}} options
 * @returns {Promise<number>}
 */
async function run(options) {
  const { loadPyodide } = await import(path.join(ROOT, "node_modules", "pyodide", "pyodide.mjs"));
  const pyodide = await loadPyodide({
    indexURL: path.join(ROOT, "node_modules", "pyodide") + path.sep,
    stdout: (/** @type {string} */ line) => process.stdout.write(line + "\n"),
    stderr: (/** @type {string} */ line) => process.stderr.write(line + "\n"),
  });
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  const wheel = await readFile(options.wheel);
  // A Node Buffer is not accepted as is: hand Pyodide a plain Uint8Array view of the same bytes.
  const bytes = new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength);
  pyodide.unpackArchive(bytes, "wheel", { extractDir: sitePackages });
  const source = await readFile(options.checks, "utf8");
  pyodide.FS.writeFile("/tmp/pyodide_wizard_checks.py", source);
  return pyodide.runPython(`
import sys
sys.path.insert(0, "/tmp")
import pyodide_wizard_checks
pyodide_wizard_checks.main()
`);
}

try {
  const code = await run(parseArgs(process.argv.slice(2)));
  process.exitCode = typeof code === "number" ? code : 2;
} catch (error) {
  process.stderr.write(`pyodide_run_tests: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
