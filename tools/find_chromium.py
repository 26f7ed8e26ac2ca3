"""Print the path of a Chromium for the browser tests, or exit 1 when none is installed.

Order: $ASYNCFIT_CHROMIUM, then Debian's /usr/bin/chromium, then common names on PATH.
Playwright's own browser download cannot run on machines without internet access, so we never use it.
"""

from __future__ import annotations

import os
import shutil
import sys

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Return the first Chromium executable found, or None."""
    explicit = os.environ.get("ASYNCFIT_CHROMIUM")
    if explicit:
        return explicit if shutil.which(explicit) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


if __name__ == "__main__":
    found = find_chromium()
    if found is None:
        print("no Chromium found (set ASYNCFIT_CHROMIUM or install Debian's chromium)", file=sys.stderr)
        sys.exit(1)
    print(found)
