"""Screenshots of the main pages at a phone's and a desktop's width, for the README and for a
person to look at: ``make screenshots`` writes them into docs/screenshots/.

It loads the demo into a database of its own (var/screenshots/, so the demo database you use
is not touched), serves it on a free port on loopback and drives headless Chromium over the
pages in SHOTS. A shot is what a visitor sees on opening the page (the first screen), not the
whole page. The browser has the personal page of the demo's first participant open, so
participant pages can be shot too. Add a page by adding a Shot.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
VAR = REPO / "var" / "screenshots"
SLUG = "ketenconferentie-2027"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}


@dataclass(frozen=True)
class Shot:
    name: str
    path: str


SHOTS = [
    Shot("home", "/"),
    Shot("edition", f"/{SLUG}/"),
    Shot("programme", f"/{SLUG}/programme/"),
    Shot("register", f"/{SLUG}/register/"),
    Shot("personal-page", f"/{SLUG}/me/"),
    Shot("ranking", f"/{SLUG}/me/workshops/"),
]


def organiser_shots() -> list[Shot]:
    """The organiser workspace, as the demo's lead organiser (jenv) sees it: the dashboards of
    the open edition and of a past one with its full history, and that edition's published
    assignment."""
    from ketenconf.allocation.selectors import published_run
    from ketenconf.events.models import Edition

    past = "ketenconferentie-2018"
    run = published_run(edition=Edition.objects.get(slug=past))
    shots = [
        Shot("workspace", "/organise/"),
        Shot("dashboard", f"/organise/{SLUG}/"),
        Shot("dashboard-2018", f"/organise/{past}/"),
    ]
    if run is not None:
        shots.append(Shot("assignment-result", f"/organise/{past}/assignment/runs/{run.pk}/"))
    return shots


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    env = {
        **os.environ,
        "KETENCONF_VAR_DIR": str(VAR),
        "KETENCONF_DATABASE_URL": f"sqlite:///{VAR / 'ketenconf.sqlite3'}",
        "KETENCONF_EMAIL_URL": "console://",
        "DJANGO_SETTINGS_MODULE": "ketenconf.settings",
    }
    os.environ.update(env)
    ketenconf = shutil.which("ketenconf", path=str(REPO / ".venv" / "bin")) or "ketenconf"
    VAR.mkdir(parents=True, exist_ok=True)
    subprocess.run([ketenconf, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([ketenconf, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)

    import django

    django.setup()
    from ketenconf.registration.links import access_token_create
    from ketenconf.registration.models import Registration

    participant = (
        Registration.objects.filter(edition__slug=SLUG, status="registered").order_by("pk").first()
    )
    if participant is None:
        print(f"The demo has no registered participant in {SLUG}.", file=sys.stderr)
        return 1

    from ketenconf.demo.load import demo_password

    organiser_pages = organiser_shots()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [ketenconf, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1)  # noqa: S310 - our own loopback server
                break
            except OSError:
                time.sleep(0.2)
        else:
            print("The server did not start.", file=sys.stderr)
            return 1
        from playwright.sync_api import sync_playwright

        from tests.browser.conftest import CHROMIUM_FLAGS, _chromium_path

        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=_chromium_path(), args=CHROMIUM_FLAGS
            )
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    locale="nl-NL",
                    viewport={"width": width, "height": height},
                    is_mobile=label == "phone",
                    has_touch=label == "phone",
                )
                page = context.new_page()
                token = access_token_create(registration=participant)
                page.goto(f"{base}/{SLUG}/me/link/{token}/")
                page.locator("main form button[type=submit]").click()
                page.wait_for_url(f"{base}/{SLUG}/me/")
                for shot in SHOTS:
                    page.goto(base + shot.path)
                    target = OUT / f"{shot.name}-{label}.png"
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(REPO)}")
                page.goto(f"{base}/organise/login/")
                page.locator("#id_username").fill("jenv")
                page.locator("#id_password").fill(demo_password())
                page.locator("#id_password").press("Enter")
                page.wait_for_url(f"{base}/organise/")
                for shot in organiser_pages:
                    page.goto(base + shot.path)
                    target = OUT / f"{shot.name}-{label}.png"
                    page.screenshot(path=str(target))
                    print(f"wrote {target.relative_to(REPO)}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
