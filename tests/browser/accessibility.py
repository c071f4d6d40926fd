"""WCAG 2.1 AA checks in the browser with axe-core (vendored from npm: tests/browser/vendor/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe-4.14.1.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BEST_PRACTICE = ["best-practice"]  # axe's own rules beyond WCAG: landmarks, heading order, one h1, ...


def axe_violations(
    page: Any, impacts: tuple[str, ...] = ("serious", "critical"), *, best_practice: bool = False
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return the violations of the given impacts (WCAG 2.1 A and
    AA rules, and axe's best-practice rules too when asked)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol rather than added as a <script>: the site's Content
        # Security Policy rightly refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_AA + BEST_PRACTICE if best_practice else WCAG_AA,
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def assert_accessible(page: Any, what: str) -> None:
    """Fail with a readable list when axe finds serious or critical WCAG 2.1 AA violations."""
    found = axe_violations(page)
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in found
    ]
    assert not found, f"{what}: accessibility violations:\n" + "\n".join(lines)
