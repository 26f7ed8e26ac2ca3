"""Redirect stubs: a renamed page keeps its old URL working, with any static site generator.

Page URLs are public API (style guides and decision records link to them). When a page moves, add a line to
tools/asyncfit_docs/redirects.toml:

    [redirects]
    "/gotcha/" = "/the-gotcha/"          # old site path = new site path (optionally with #anchor)

then run `python -m asyncfit_docs.redirects`. It writes one small, complete
HTML file per old path, e.g. docs/gotcha/index.html. MkDocs and Zensical copy non-Markdown files from docs/ as they
are, so the stub needs no plugin or hook, works on GitHub Pages (no server rules), and because it is a whole
document it controls its own <head>: a zero-delay meta refresh, rel=canonical pointing at the new URL, noindex,
a Content-Security-Policy that allows nothing, and a visible link for anyone whose browser does not follow the refresh.
Stubs are not pages, so they never appear in the navigation or the search index.

`python -m asyncfit_docs.redirects --check` exits 1 when a stub is missing, stale or orphaned (the tests run it).
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from asyncfit_docs.catalogue import DOCS_DIR, ROOT, _show
from asyncfit_docs.style_guide import site_url

REDIRECTS_PATH = Path(__file__).resolve().with_name("redirects.toml")
# A stub loads nothing, so its policy allows nothing (stricter than the site's; navigation is not restricted by CSP).
CSP = (
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; base-uri 'none'; form-action 'none'\">"
)
MARKER = '<meta name="generator" content="asyncfit redirect stub">'  # lets tools recognise a stub
PATH_RE = re.compile(r"^/(?:[a-z0-9][a-z0-9-]*/)+$")


class RedirectError(ValueError):
    """The redirects file is invalid; the message names the file and the key."""


@dataclass(frozen=True)
class Redirect:
    """One moved page: old site path -> new site path (with an optional #fragment)."""

    old: str  # "/gotcha/"
    new: str  # "/the-gotcha/" or "/the-gotcha/#anchor"

    @property
    def stub(self) -> Path:
        """The stub's file under docs/, e.g. docs/gotcha/index.html."""
        return DOCS_DIR / self.old.strip("/") / "index.html"

    @property
    def relative_target(self) -> str:
        """The new URL relative to the old one (works under any site_url prefix), e.g. '../the-gotcha/'."""
        return "../" * self.old.strip("/").count("/") + "../" + self.new.lstrip("/")


def load_redirects(path: Path = REDIRECTS_PATH, docs_dir: Path = DOCS_DIR) -> list[Redirect]:
    """Load and validate the redirects file. Raises RedirectError naming the file and the key."""
    where = _show(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RedirectError(f"{where}: cannot read: {exc}") from exc
    table = data.get("redirects")
    if set(data) != {"redirects"} or not isinstance(table, dict):
        raise RedirectError(f"{where}: expected exactly one table, [redirects]")
    out: list[Redirect] = []
    for old, new in table.items():
        key = f'[redirects]."{old}"'
        if not PATH_RE.match(old):
            raise RedirectError(f"{where}: {key}: an old path looks like '/gotcha/' (lowercase, slashes around)")
        if not isinstance(new, str) or not PATH_RE.match(new.split("#")[0]):
            raise RedirectError(f"{where}: {key}: the new path looks like '/the-gotcha/' or '/faq/#anchor'")
        stem = old.strip("/")
        if (docs_dir / f"{stem}.md").exists() or (docs_dir / stem / "index.md").exists():
            raise RedirectError(f"{where}: {key}: a page still renders at {old}; a redirect is for a page that moved")
        if new.split("#")[0] in table:
            raise RedirectError(f"{where}: {key}: {new} is itself redirected; point at the final page")
        out.append(Redirect(old, new))
    return out


def render_stub(redirect: Redirect, base: str | None = None) -> str:
    """Return the complete HTML document for one redirect stub."""
    target = html.escape(redirect.relative_target)
    canonical = html.escape((base or site_url()) + redirect.new.lstrip("/"))
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"{CSP}\n{MARKER}\n"
        f"<title>Moved to {html.escape(redirect.new)}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "</head>\n<body>\n<main>\n"
        f'<h1>This page has moved</h1>\n<p>It is now at <a href="{target}">{html.escape(redirect.new)}</a>.</p>\n'
        "</main>\n</body>\n</html>\n"
    )


def existing_stubs(docs_dir: Path = DOCS_DIR) -> list[Path]:
    """Return every generated stub currently under docs/ (recognised by its generator marker)."""
    return sorted(
        p for p in docs_dir.rglob("index.html") if "vendor" not in p.parts and MARKER in p.read_text(encoding="utf-8")
    )


def problems(redirects: list[Redirect]) -> list[str]:
    """Return what is out of date: missing or stale stubs, and stubs no redirect asks for."""
    found: list[str] = []
    wanted = {r.stub: render_stub(r) for r in redirects}
    for stub, text in wanted.items():
        if not stub.is_file():
            found.append(f"missing stub {stub.relative_to(ROOT)}")
        elif stub.read_text(encoding="utf-8") != text:
            found.append(f"stale stub {stub.relative_to(ROOT)}")
    found += [f"orphaned stub {p.relative_to(ROOT)}" for p in existing_stubs() if p not in wanted]
    return found


def write_stubs(redirects: list[Redirect]) -> list[Path]:
    """Write every stub, delete orphaned ones; return the paths written."""
    wanted = {r.stub: render_stub(r) for r in redirects}
    for orphan in existing_stubs():
        if orphan not in wanted:
            orphan.unlink()
    for stub, text in wanted.items():
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(text, encoding="utf-8")
    return list(wanted)


def main(argv: list[str] | None = None) -> int:
    """Command line: write the stubs, or with --check report what is out of date (exit code 1)."""
    parser = argparse.ArgumentParser(prog="python -m asyncfit_docs.redirects", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report missing, stale or orphaned stubs")
    args = parser.parse_args(argv)
    redirects = load_redirects()
    if args.check:
        found = problems(redirects)
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print("run: python -m asyncfit_docs.redirects", file=sys.stderr)
        return 1 if found else 0
    for path in write_stubs(redirects):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
