"""A real headless Chromium (Debian's) driven by Playwright, with axe-core for accessibility."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_ci

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    configured = os.environ.get("KETENCONF_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if os.environ.get("KETENCONF_TEST_BROWSER") == "0" and not in_ci():
        pytest.skip("browser tests left out (KETENCONF_TEST_BROWSER=0)")
    executable = _chromium_path()
    if executable is None:
        if in_ci():
            pytest.fail("CI must run the browser tests, but Debian's chromium is not installed")
        pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Any) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA on the page as it stands, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    if violations:
        raise AssertionError(f"axe on {page.url}:\n" + "\n".join(violations))


# Phone (the narrowest WCAG 1.4.10 asks for, and a common phone) and desktop.
WIDTHS = (320, 390, 1280)
LOCALES = {"nl": "nl-NL", "en": "en-GB"}


def path_in_language(path: str, language: str) -> str:
    """``path`` as the page in ``language``: public pages carry a language prefix (/en/...);
    pages outside the translated URLs stay as they are and follow the browser's language."""
    from django.urls import translate_url

    return translate_url(path, language)


def screenshot_folder() -> Path | None:
    """Where to keep screenshots for a person to look at: KETENCONF_SCREENSHOTS, if set."""
    folder = os.environ.get("KETENCONF_SCREENSHOTS")
    return Path(folder) if folder else None


def visit_at_every_width(
    browser: Any,
    base_url: str,
    paths: Sequence[str],
    *,
    languages: Sequence[str] = ("nl", "en"),
    widths: Sequence[int] = WIDTHS,
    log_in: Callable[[Any], None] | None = None,
) -> list[str]:
    """Visit every path in every language at every width, one browser context per language and
    width (``log_in(page)`` first, for pages behind a login), and check on each page that it
    answered, that it needs no horizontal scrolling (WCAG 1.4.10, which axe does not test) and
    that axe finds nothing. Returns the pages visited; fails with every problem found at once.
    With KETENCONF_SCREENSHOTS set, keeps a full-page PNG of each as ``<page>-<lang>-<width>.png``."""
    problems: list[str] = []
    visited: list[str] = []
    folder = screenshot_folder()
    for language in languages:
        for width in widths:
            context = browser.new_context(
                locale=LOCALES[language], viewport={"width": width, "height": 800}
            )
            page = context.new_page()
            page.set_default_timeout(10_000)
            if log_in is not None:
                log_in(page)
            for path in paths:
                url = base_url + path_in_language(path, language)
                response = page.goto(url)
                where = f"{url} at {width} px"
                visited.append(where)
                if response is None or response.status >= 400:
                    status = response.status if response is not None else "no response"
                    problems.append(f"{where}: answered {status}")
                    continue
                widest = page.evaluate("document.documentElement.scrollWidth")
                if widest > page.evaluate("window.innerWidth"):
                    problems.append(f"{where}: {widest} px wide, scrolls sideways")
                problems.extend(f"{where}: {line}" for line in axe_violations(page))
                if folder is not None:
                    folder.mkdir(parents=True, exist_ok=True)
                    name = path.strip("/").replace("/", "_") or "home"
                    page.screenshot(
                        path=str(folder / f"{name}-{language}-{width}.png"), full_page=True
                    )
            context.close()
    if problems:
        raise AssertionError("\n".join(problems))
    return visited
