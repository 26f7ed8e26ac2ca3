"""One duration format for every renderer, the verdict's sentences and the build-time table."""

from __future__ import annotations


def format_seconds(value: float) -> str:
    """Format a duration for people: ``820 ms``, ``4.2 s``, ``1,234 s``."""
    if value >= 100:
        return f"{value:,.0f} s"
    if value >= 1:
        return f"{value:.1f} s"
    return f"{value * 1000:.0f} ms"
