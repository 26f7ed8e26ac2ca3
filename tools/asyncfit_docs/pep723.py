"""PEP 723 inline script metadata for the runnable examples' "Download .py" (the `pyrun` fence, runnable.py).

A downloaded example starts with a `# /// script` block naming the Python it needs and its third-party
dependencies, pinned, so that `uv run example.py` or `pipx run example.py` works as is:

    # /// script
    # requires-python = ">=3.11"
    # dependencies = [
    #     "anyio==4.16.0",
    # ]
    # ///

- dependencies: the example's top-level imports (`ast`) that are not in the standard library
  (`sys.stdlib_module_names`), mapped to their distributions by the installed metadata
  (`importlib.metadata.packages_distributions()`), each pinned to the version requirements.txt pins (the one the
  site builds and tests with). An import no installed distribution provides, or a distribution requirements.txt
  does not pin, is a build error naming the example.
- requires-python: the project's own floor (pyproject.toml, `>=3.11`: the oldest Python the examples are built and
  tested with), raised when the example uses a standard-library name newer than that (NEWER_STDLIB below) without
  feature-detecting it (`hasattr` / `getattr` with that name), or when a dependency's own Requires-Python lower
  bound is higher. Only names that appeared after the floor are listed; a syntax newer than the floor needs no
  table, since the build's Python could not parse the example at all.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
PYPROJECT = ROOT / "pyproject.toml"

#: Standard-library names newer than the floor: dotted name (module, module.attribute, or .method for a method
#: name unique enough to recognise on any object) -> the first Python that has it.
NEWER_STDLIB: dict[str, tuple[int, int]] = {
    "asyncio.eager_task_factory": (3, 12),
    "asyncio.create_eager_task_factory": (3, 12),
    "itertools.batched": (3, 12),
    "sys.monitoring": (3, 12),
    "typing.override": (3, 12),
    "asyncio.QueueShutDown": (3, 13),
    "copy.replace": (3, 13),
    "os.process_cpu_count": (3, 13),
    "warnings.deprecated": (3, 13),
    "asyncio.capture_call_graph": (3, 14),
    "asyncio.print_call_graph": (3, 14),
    "asyncio.future_add_to_awaited_by": (3, 14),
    "concurrent.futures.InterpreterPoolExecutor": (3, 14),
    "concurrent.interpreters": (3, 14),
    "annotationlib": (3, 14),
    "compression": (3, 14),
    "string.templatelib": (3, 14),
    ".terminate_workers": (3, 14),  # ProcessPoolExecutor
    ".kill_workers": (3, 14),  # ProcessPoolExecutor
}
#: Standard-library top-level modules newer than the build's Python (so sys.stdlib_module_names lacks them).
NEWER_STDLIB_MODULES = frozenset(name for name in NEWER_STDLIB if "." not in name)

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")
_LOWER_BOUND = re.compile(r">=\s*(\d+)\.(\d+)")


class ScriptMetadataError(ValueError):
    """An example's header cannot be computed honestly (an unmapped import, an unpinned distribution)."""


@dataclass(frozen=True)
class ScriptMetadata:
    """What a downloaded example declares: its minimum Python and its pinned dependencies."""

    requires_python: str
    dependencies: tuple[str, ...]

    @property
    def header(self) -> str:
        """The PEP 723 `script` block, one comment line each, ending with a newline."""
        lines = ["# /// script", f'# requires-python = "{self.requires_python}"']
        if self.dependencies:
            lines += ["# dependencies = [", *(f'#     "{dep}",' for dep in self.dependencies), "# ]"]
        else:
            lines.append("# dependencies = []")
        lines.append("# ///")
        return "\n".join(lines) + "\n"

    @property
    def summary(self) -> str:
        """A short human line: "Python 3.11+; anyio 4.16.0" ("Python 3.11+, standard library only")."""
        floor = self.requires_python.removeprefix(">=")
        if not self.dependencies:
            return f"Python {floor}+, standard library only"
        return f"Python {floor}+; " + ", ".join(dep.replace("==", " ") for dep in self.dependencies)


def normalize(name: str) -> str:
    """Return a distribution name in PEP 503 normal form (`Foo_Bar` and `foo-bar` are the same project)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def pinned_versions(path: Path = REQUIREMENTS) -> dict[str, tuple[str, str]]:
    """requirements.txt's `name==version` lines: normalized name -> (name as written, version)."""
    pins: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalize(match[1])] = (match[1], match[2])
    return pins


@cache
def project_floor(path: Path = PYPROJECT) -> tuple[int, int]:
    """Return the project's minimum Python (pyproject.toml's requires-python lower bound)."""
    spec = tomllib.loads(path.read_text(encoding="utf-8"))["project"]["requires-python"]
    match = _LOWER_BOUND.search(spec)
    if not match:
        raise ScriptMetadataError(f"{path.name}: requires-python {spec!r} has no >=X.Y lower bound")
    return int(match[1]), int(match[2])


@cache
def _distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def _imports(tree: ast.AST) -> set[str]:
    """Dotted names of every absolute import (`import a.b` -> a, a.b; `from a import b` -> a, a.b)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for an attribute chain on a plain name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _feature_detected(tree: ast.AST) -> set[str]:
    """Attribute names the code probes for (`hasattr(x, "name")`, `getattr(x, "name", ...)`): not required."""
    probed: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"hasattr", "getattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            probed.add(node.args[1].value)
    return probed


def minimum_python(tree: ast.AST, floor: tuple[int, int]) -> tuple[int, int]:
    """Return the newest Python among the floor and the NEWER_STDLIB names the code uses unconditionally."""
    used = _imports(tree)
    aliases: dict[str, str] = {}  # local name -> module or module.attribute it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    methods: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            methods.add(node.attr)
            dotted = _dotted(node)
            if dotted:
                head, _, rest = dotted.partition(".")
                used.add(f"{aliases.get(head, head)}.{rest}")
    probed = _feature_detected(tree)
    needed = floor
    for name, version in NEWER_STDLIB.items():
        if name.rsplit(".", 1)[-1] in probed:
            continue
        hit = name[1:] in methods if name.startswith(".") else name in used
        if hit:
            needed = max(needed, version)
    return needed


def _requires_python_floor(distribution: str) -> tuple[int, int] | None:
    spec = metadata.metadata(distribution).get("Requires-Python") or ""
    match = _LOWER_BOUND.search(spec)
    return (int(match[1]), int(match[2])) if match else None


#: Modules only Python in the browser has (Pyodide's own, imported by an example under `sys.platform == "emscripten"`,
#: e.g. snippets/delay_fanout.py): no distribution to install anywhere else, so not a dependency.
PYODIDE_RUNTIME_MODULES = frozenset({"pyodide", "js"})


def script_metadata(source: str, example: str, extra: tuple[str, ...] = ()) -> ScriptMetadata:
    """Compute the PEP 723 metadata of an example's source; `example` names it in errors (e.g. "http_fanout.py").

    `extra`: distributions it needs beyond its imports (the fence's `requires="..."`), pinned the same way.
    """
    try:
        tree = ast.parse(source, filename=example)
    except SyntaxError as error:
        raise ScriptMetadataError(f"pyrun example {example}: cannot parse it ({error})") from error
    top_level = {name.split(".")[0] for name in _imports(tree)}
    third_party = sorted(
        name
        for name in top_level
        if name not in sys.stdlib_module_names
        and name not in NEWER_STDLIB_MODULES
        and name not in PYODIDE_RUNTIME_MODULES
        and name != "__future__"
    )
    wanted: list[tuple[str, str]] = []  # (distribution, why)
    for module in third_party:
        providers = sorted(set(_distributions().get(module, [])))
        if len(providers) != 1:
            found = f"provided by {', '.join(providers)}" if providers else "provided by no installed distribution"
            raise ScriptMetadataError(
                f"pyrun example {example}: cannot name the distribution of `import {module}` ({found}); "
                "an example may import the standard library and what requirements.txt pins"
            )
        wanted.append((providers[0], f"`import {module}` comes from {providers[0]}"))
    wanted += [(name, f'requires="{name}"') for name in extra]
    pins = pinned_versions()
    requirements: dict[str, str] = {}
    needed = minimum_python(tree, project_floor())
    for distribution, why in wanted:
        pin = pins.get(normalize(distribution))
        if pin is None:
            raise ScriptMetadataError(
                f"pyrun example {example}: {why}, which requirements.txt does not pin; pin it there so the "
                "downloaded file names the version the site tests"
            )
        requirements[normalize(distribution)] = f"{pin[0]}=={pin[1]}"
        dist_floor = _requires_python_floor(pin[0])
        if dist_floor:
            needed = max(needed, dist_floor)
    return ScriptMetadata(
        requires_python=f">={needed[0]}.{needed[1]}",
        dependencies=tuple(requirements[key] for key in sorted(requirements)),
    )
