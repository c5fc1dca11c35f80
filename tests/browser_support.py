"""Helpers for browser tests: axe-core accessibility checks and screenshots in one folder.

    from tests.browser_support import assert_accessible, screenshot
    assert_accessible(page, "trends, by week")   # fails listing every serious/critical problem
    screenshot(page, "trends-desktop")           # tests/screenshots/trends-desktop.png

axe-core comes from the npm package pinned in tests/package.json (`make install` installs it).
The pages' CSP forbids inline script, so axe is not added as a <script>: its source is evaluated
through DevTools (Playwright's `page.evaluate`), which the page's CSP does not govern. The CSP
itself is untouched, so the CSP checks elsewhere (console violations) still mean what they say.
"""

import os
import re
from functools import cache
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = TESTS / "screenshots"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA; `target-size` (2.5.8, 24x24 px) is wcag22aa.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SERIOUS = {"serious", "critical"}


@cache
def _axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} is missing: run `make install` (npm ci --prefix tests, needs Node.js)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER=1)")
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG A/AA violations axe-core finds on the page as it is now:
    [{"id", "impact", "help", "targets": [selector, ...]}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;void 0")
    result = page.evaluate(
        """async (tags) => {
            const r = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        WCAG_TAGS,
    )
    return [v for v in result if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(f"      {target}\n" for target in v["targets"])
        for v in violations
    )


def assert_accessible(page, label: str) -> None:
    """Fail listing every serious or critical WCAG A/AA violation (with its elements)."""
    violations = axe_violations(page)
    assert not violations, f"axe-core on {label} ({page.url}):\n{describe(violations)}"


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG as tests/screenshots/<name>.png (the folder is git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
