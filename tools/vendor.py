"""Copy the self-hosted front-end files into docs/vendor/ (git-ignored) so MkDocs ships them.

- Pyodide: the runtime files of the pinned npm `pyodide` package (no CDN at run time). Its standard library zip
  gains bytecode for the modules Python imports while it starts (tools/precompile_stdlib.mjs, which says why).
- Ace: the editor used by runnable examples (npm `ace-builds`).
- The wizard: a pure-Python wheel of the `asyncfit` package, loaded into Pyodide by the browser, and the
  wizard page's decision table (vendor/wizard/table-<fingerprint>.json, tools/asyncfit_docs/wizard_table.py).

The folder is rebuilt from scratch on every run, so no state survives between builds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from asyncfit_docs.wizard_table import write_table

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "docs" / "vendor"

PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "pyodide-lock.json",
)
STDLIB_ZIP = "python_stdlib.zip"  # written by tools/precompile_stdlib.mjs, under the name Pyodide loads by default
ACE_FILES = (
    "ace.js",
    "mode-python.js",
    "theme-github_light_default.js",
    "theme-github_dark.js",
    "ext-language_tools.js",
)
# Ace's CSS as files: the site's Content-Security-Policy (style-src 'self') forbids the <style> elements Ace
# injects by default, so the runner sets Ace's `useStrictCSP` and links these instead.
ACE_CSS_FILES = (
    "ace.css",
    "theme/github_light_default.css",
    "theme/github_dark.css",
)
ACE_CSS_IMAGES = ("main-*.png", "main-*.svg", "github_dark-*.png", "github_light_default-*.png")  # used by the CSS


def _copy(src: Path, dest: Path) -> None:
    if not src.is_file():
        sys.exit(f"tools/vendor.py: missing {src.relative_to(ROOT)}: run `npm ci` (make does)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)


def main() -> None:
    """Rebuild docs/vendor/."""
    shutil.rmtree(VENDOR, ignore_errors=True)
    pyodide_version = json.loads((NODE / "pyodide" / "package.json").read_text())["version"]
    for name in PYODIDE_FILES:
        _copy(NODE / "pyodide" / name, VENDOR / "pyodide" / name)
    precompile = ["node", str(ROOT / "tools" / "precompile_stdlib.mjs"), str(VENDOR / "pyodide" / STDLIB_ZIP)]
    if subprocess.run(precompile, check=False).returncode != 0:
        sys.exit("tools/vendor.py: tools/precompile_stdlib.mjs failed (its message is above)")
    ace_src = NODE / "ace-builds" / "src-min-noconflict"
    for name in ACE_FILES:
        _copy(ace_src / name, VENDOR / "ace" / name)
    ace_css = NODE / "ace-builds" / "css"
    for name in ACE_CSS_FILES:
        _copy(ace_css / name, VENDOR / "ace" / "css" / name)
    for image in (path for pattern in ACE_CSS_IMAGES for path in sorted(ace_css.glob(pattern))):
        _copy(image, VENDOR / "ace" / "css" / image.name)
    wheels = VENDOR / "wheels"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(wheels), str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    wheel = next(wheels.glob("asyncfit-*.whl"))
    table = write_table()
    manifest = {
        "pyodide": pyodide_version,
        "wizardWheel": f"wheels/{wheel.name}",
        "wizardTable": f"wizard/{table.name}",
    }
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"docs/vendor: pyodide {pyodide_version}, ace, {wheel.name}, {table.name}")


if __name__ == "__main__":
    main()
