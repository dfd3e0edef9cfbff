"""The steering-group report and the portfolio in a real browser: headless Chromium.

Each page (the Tilburg demo's report, a Collective Impact report in its own vocabulary, and the
portfolio of both) is opened from a file, in English and Dutch, 390 and 1280 pixels wide. It must
load with no console error and no request beyond the file itself, never scroll sideways, show its
key texts, and pass axe-core's checks of colour contrast, heading order and the other WCAG 2 A/AA
rules that apply. A screenshot of each goes to build/screenshots/ for a person to look at.

The browser is Debian's ``chromium`` (``.ci/run`` installs it), driven by Playwright with
``executable_path``; Playwright never downloads a browser of its own. axe-core comes from the
``axe-playwright-python`` package, which ships ``axe.min.js``. Without Chromium or these packages
the tests fail under CI (``CI=true``) and are skipped, saying why, anywhere else.
"""

import json
import os
import pathlib
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest

import coopflow as cf
from tests.reports import AT, collective_impact, tilburg

CHROMIUM = pathlib.Path(os.environ.get("COOPFLOW_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = pathlib.Path(__file__).parent.parent / "build" / "screenshots"
WIDTHS = (390, 1280)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What axe-core checks: every WCAG 2.0/2.1 A and AA rule (colour contrast among them), and the
# best practices, which hold the order of headings and one main landmark.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401

        resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
    except (ImportError, FileNotFoundError) as error:
        return f"the dev extra is not installed ({error})"
    return None


def _require_browser() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the browser tests must run in CI: {reason}")
    pytest.skip(reason)


Page = Any  # playwright.sync_api.Page; imported only when Chromium is there


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's Chromium, headless, with a fresh profile for this module."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": WIDTHS[0], "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], pathlib.Path]:
    """The pages as files: (name, locale) -> path."""
    folder = tmp_path_factory.mktemp("pages")
    written: dict[tuple[str, str], pathlib.Path] = {}
    for locale in ("en", "nl"):
        both = [tilburg(locale), collective_impact()]
        for name, html in (
            ("tilburg", cf.report(both[0], locale=locale, at=AT)),
            ("collective-impact", cf.report(both[1], locale=locale, at=AT)),
            ("portfolio", cf.portfolio(both, locale=locale, at=AT)),
        ):
            path = folder / f"{name}-{locale}.html"
            path.write_text(html, encoding="utf-8")
            written[name, locale] = path
    return written


# Texts a reader must see on each page, per language.
KEY_TEXTS = {
    ("tilburg", "en"): [
        "Gemeente Tilburg and Tilburg University",
        "Current phase: Implementation",
        "What blocks the next step",
        "Traffic lights per party",
        "Budget and commitments",
        "The commitments cover the budget.",
    ],
    ("tilburg", "nl"): [
        "Samenwerking gemeente Tilburg – Tilburg University",
        "Huidige fase: Uitvoering",
        "Wat de volgende stap nog tegenhoudt",
        "Stoplichten per partij",
        "Begroting en toezeggingen",
        "De toezeggingen dekken de begroting.",
    ],
    ("collective-impact", "en"): [
        "Samen sterk in Breda-Noord",
        "Current phase: Organising for impact",
        "Support by the backbone organisation",
        "The commitments do not cover the budget yet.",
    ],
    ("collective-impact", "nl"): [
        "Huidige fase: Organiseren voor impact",
        "Ondersteuning door de backbone-organisatie",
        "De toezeggingen dekken de begroting nog niet.",
    ],
    ("portfolio", "en"): ["Portfolio of cooperation trajectories", "2 trajectories", "Last change"],
    ("portfolio", "nl"): ["Portefeuille van samenwerkingstrajecten", "2 trajecten", "Stoplichten"],
}


def _open(
    browser: Any, path: pathlib.Path, width: int
) -> tuple[Page, list[str], list[str], Callable[[], None]]:
    """The page at `width`, with the console errors and the requests it made."""
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors, requests, page.close


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("name", ["tilburg", "collective-impact", "portfolio"])
def test_the_page_renders_cleanly_at_phone_and_desktop_width(
    browser: Any,
    pages: dict[tuple[str, str], pathlib.Path],
    name: str,
    locale: str,
    width: int,
) -> None:
    """No console error, no outside request, no sideways scrolling, the key texts visible."""
    path = pages[name, locale]
    page, errors, requests, close = _open(browser, path, width)
    try:
        overflow = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth,"
            " document.documentElement.lang]"
        )
        hidden = [
            text
            for text in KEY_TEXTS[name, locale]
            if not page.get_by_text(text).first.is_visible()
        ]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{locale}-{width}.png"), full_page=True)
        top = {"x": 0, "y": 0, "width": width, "height": 1300}  # the first part, for the docs
        page.screenshot(
            path=str(SCREENSHOTS / f"{name}-{locale}-{width}-top.png"), clip=top, full_page=True
        )
    finally:
        close()
    assert errors == []
    assert requests == [path.as_uri()]
    assert overflow[0] <= overflow[1], f"{name} {locale} scrolls sideways at {width} px"
    assert overflow[2] == locale
    assert hidden == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["en", "nl"])
@pytest.mark.parametrize("name", ["tilburg", "collective-impact", "portfolio"])
def test_axe_finds_no_accessibility_violation(
    browser: Any,
    pages: dict[tuple[str, str], pathlib.Path],
    name: str,
    locale: str,
    width: int,
) -> None:
    """axe-core: colour contrast, heading order, landmarks, table headers, language, ..."""
    script = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
    page, _, _, close = _open(browser, pages[name, locale], width)
    try:
        page.evaluate(script)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations', 'passes']})",
            AXE_TAGS,
        )
    finally:
        close()
    violations = [
        {"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
    ]
    passed = {rule["id"] for rule in results["passes"]}
    assert violations == [], json.dumps(violations, indent=1)
    assert {"color-contrast", "heading-order", "html-has-lang", "page-has-heading-one"} <= passed


def test_the_documentation_screenshot_is_the_tilburg_report() -> None:
    """docs/_static/report.png is a small PNG for the README and the documentation site."""
    picture = pathlib.Path(__file__).parent.parent / "docs" / "_static" / "report.png"
    data = picture.read_bytes()
    assert (data[:8], len(data) < 300_000) == (b"\x89PNG\r\n\x1a\n", True)


def test_without_chromium_the_tests_skip_outside_ci_and_fail_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    """The reason is given; under CI=true a missing browser is a failure, never a skip."""
    monkeypatch.setattr(f"{__name__}.CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="no-chromium is missing"):
        _require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="must run in CI"):
        _require_browser()
