// Run the wizard's tests INSIDE Pyodide under Node, offline (Pyodide comes from node_modules/pyodide).
//
//   node tools/pyodide_run_tests.mjs --wheel dist/asyncfit-0.1.0-py3-none-any.whl
//        [--checks tests/pyodide_wizard_checks.py]
//        [--pytest tests/test_wizard_engine.py --site-packages .venv/lib/python3.11/site-packages]
//
// 1. Load Pyodide from the npm package (no CDN, no network).
// 2. Unpack the wheel into Pyodide's site-packages with pyodide.unpackArchive: micropip is not shipped in the
//    npm package, and a pure-Python wheel needs no installer.
// 3. Run the plain-Python checks module and call its main(); it prints `RESULT {...}` (JSON).
// 4. With --pytest: copy pytest and its pure-Python dependencies (the files listed in their dist-info RECORD)
//    from the given host site-packages, stage the test files (with mkdocs.yml, pyproject.toml and
//    tests/wizard_permalinks.txt and tests/permalinks.py, which tests read) in /proj and run pytest there; it prints `PYTEST exit=N`. The wizard under test is the wheel: /proj
//    holds no wizard sources.
// Exit code: 0 everything passed, 1 a check or test failed, 2 bad usage or a Pyodide failure.

import { readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USAGE =
  "usage: node tools/pyodide_run_tests.mjs --wheel FILE.whl [--checks FILE.py] " +
  "[--pytest TEST.py ... --site-packages DIR]";
/** Pure-Python distributions pytest needs (hypothesis is not among them: it has a compiled part). */
const PYTEST_DISTS = ["pytest", "pluggy", "iniconfig", "packaging", "pygments"];

/**
 * @typedef {object} Options
 * @property {string} wheel          path of the asyncfit wheel
 * @property {string} checks         path of the plain-Python checks module
 * @property {string[]} pytest       test files to run with pytest (may be empty)
 * @property {string | undefined} sitePackages  host site-packages to copy pytest from
 */

/**
 * Parse the command line.
 * @param {string[]} argv
 * @returns {Options}
 */
function parseArgs(argv) {
  /** @type {Options} */
  const options = {
    wheel: "",
    checks: path.join(ROOT, "tests", "pyodide_wizard_checks.py"),
    pytest: [],
    sitePackages: undefined,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) {
      throw new Error(`${USAGE} (missing value after ${name})`);
    }
    if (name === "--wheel") options.wheel = value;
    else if (name === "--checks") options.checks = value;
    else if (name === "--pytest") options.pytest.push(value);
    else if (name === "--site-packages") options.sitePackages = value;
    else throw new Error(`${USAGE} (unknown option ${name})`);
    i += 1;
  }
  if (!options.wheel || (options.pytest.length > 0 && !options.sitePackages)) {
    throw new Error(USAGE);
  }
  return options;
}

/**
 * Load Pyodide with output streamed unchanged to this process's stdout and stderr.
 * @returns {Promise<any>} the Pyodide API object
 */
async function bootPyodide() {
  const { loadPyodide } = await import(path.join(ROOT, "node_modules", "pyodide", "pyodide.mjs"));
  const pyodide = await loadPyodide({ indexURL: path.join(ROOT, "node_modules", "pyodide") + path.sep });
  /** @param {NodeJS.WriteStream} stream */
  const writer = (stream) => ({
    /** @param {Uint8Array} buffer */
    write: (buffer) => {
      stream.write(buffer);
      return buffer.length;
    },
  });
  pyodide.setStdout(writer(process.stdout));
  pyodide.setStderr(writer(process.stderr));
  return pyodide;
}

/**
 * Unpack a wheel file into Pyodide's site-packages; return that directory.
 * @param {any} pyodide
 * @param {string} wheelPath
 * @returns {Promise<string>}
 */
async function installWheel(pyodide, wheelPath) {
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  const wheel = await readFile(wheelPath);
  // A Node Buffer is not accepted as is: hand Pyodide a plain Uint8Array view of the same bytes.
  pyodide.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", {
    extractDir: sitePackages,
  });
  return sitePackages;
}

/**
 * Run the plain-Python checks module; resolve to its main()'s return value.
 * @param {any} pyodide
 * @param {string} checksPath
 * @returns {Promise<number>}
 */
async function runChecks(pyodide, checksPath) {
  pyodide.FS.mkdirTree("/checks");
  pyodide.FS.writeFile("/checks/pyodide_wizard_checks.py", await readFile(checksPath, "utf8"));
  return pyodide.runPython(`
import sys
sys.path.insert(0, "/checks")
import pyodide_wizard_checks
pyodide_wizard_checks.main()
`);
}

/**
 * Copy pytest in from the host, stage the test files in /proj and run pytest; resolve to its exit code.
 * @param {any} pyodide
 * @param {Options} options
 * @param {string} sitePackages Pyodide's site-packages
 * @returns {Promise<number>}
 */
async function runPytest(pyodide, options, sitePackages) {
  pyodide.mountNodeFS("/hostsite", path.resolve(/** @type {string} */ (options.sitePackages)));
  pyodide.FS.mkdirTree("/proj/tests");
  pyodide.FS.writeFile("/proj/tests/__init__.py", "");
  for (const name of ["mkdocs.yml", "pyproject.toml", "tests/wizard_permalinks.txt", "tests/permalinks.py"]) {
    pyodide.FS.writeFile(`/proj/${name}`, await readFile(path.join(ROOT, name)));
  }
  pyodide.FS.writeFile("/proj/pytest.ini", "[pytest]\nfilterwarnings = error\n");
  const tests = [];
  for (const file of options.pytest) {
    const target = `/proj/tests/${path.basename(file)}`;
    pyodide.FS.writeFile(target, await readFile(file));
    tests.push(target);
  }
  pyodide.globals.set("SITE_PACKAGES", sitePackages);
  pyodide.globals.set("DISTS", pyodide.toPy(PYTEST_DISTS));
  pyodide.globals.set("TESTS", pyodide.toPy(tests));
  return pyodide.runPython(`
import csv, glob, os, shutil

for dist in DISTS:
    (info,) = glob.glob(f"/hostsite/{dist}-*.dist-info")
    with open(f"{info}/RECORD", newline="") as record:
        for row in csv.reader(record):
            rel = row[0]
            if rel.startswith("..") or "__pycache__" in rel:
                continue
            os.makedirs(os.path.dirname(f"{SITE_PACKAGES}/{rel}"), exist_ok=True)
            shutil.copy2(f"/hostsite/{rel}", f"{SITE_PACKAGES}/{rel}")

import wizard
assert "site-packages" in wizard.__file__, wizard.__file__  # the wheel is under test, not a source checkout
os.chdir("/proj")
import pytest
code = int(pytest.main(["-q", "-p", "no:cacheprovider", "--import-mode=importlib", "-c", "/proj/pytest.ini",
                        "--rootdir", "/proj", *TESTS]))
print(f"PYTEST exit={code}")
code
`);
}

/**
 * Everything, in order; resolve to the process exit code.
 * @param {Options} options
 * @returns {Promise<number>}
 */
async function main(options) {
  const pyodide = await bootPyodide();
  const sitePackages = await installWheel(pyodide, options.wheel);
  const checks = await runChecks(pyodide, options.checks);
  const tests = options.pytest.length > 0 ? await runPytest(pyodide, options, sitePackages) : 0;
  return checks === 0 && tests === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(parseArgs(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`pyodide_run_tests: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
