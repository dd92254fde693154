"""The door page's camera in Chromium: a badge held up to the camera checks its holder in.

Chromium's fake camera plays a video file made here from the QR code of a real badge token;
the door staff press the camera button, the page reads the code (the zxing scanner from npm)
and the green welcome comes back. A badge held up for a while counts once. Without a camera
the page says so and the code field keeps working.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import segno
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ketenconf.checkin.models import CheckIn
from ketenconf.checkin.tokens import badge_token
from tests.browser.conftest import CHROMIUM_FLAGS, _chromium_path, assert_accessible
from tests.checkin.conftest import Day, make_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def y4m_of_qr(text: str, path: Path, *, frames: int = 5) -> Path:
    """A YUV4MPEG2 (4:2:0) video of the QR code of ``text``, black on white, big and sharp
    in the middle of each frame, the way a badge held up to a phone looks (without the hand).
    """
    png = io.BytesIO()
    # The badge's code (error correction M), 8 pixels a module, 4 modules of quiet zone.
    segno.make_qr(text, error="m").save(png, kind="png", scale=8, border=4)
    qr = Image.open(png).convert("L")
    assert qr.height <= HEIGHT, "the code must fit in the picture"
    picture = Image.new("L", (WIDTH, HEIGHT), 255)
    picture.paste(qr, ((WIDTH - qr.width) // 2, (HEIGHT - qr.height) // 2))
    luma = picture.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)  # no colour
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    """The check-in pages speak the default language (they have no language prefix): English
    here, so the assertions hold whether or not the Dutch of these pages is compiled."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def day(db: None) -> Day:
    return make_day()


@pytest.fixture
def camera_browser(browser: Any, day: Day, tmp_path: Path) -> Iterator[Any]:
    """A second Chromium whose camera shows Anna's badge (the session's Chromium has none)."""
    video = y4m_of_qr(badge_token(registration=day.people["anna"]), tmp_path / "badge.y4m")
    camera = browser.browser_type.launch(
        executable_path=_chromium_path(),
        args=[
            *CHROMIUM_FLAGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    yield camera
    camera.close()


def open_door(live_server: Any, browser: Any, day: Day, door: str = "3") -> Any:
    """The door page on a phone, in English, logged in as door staff; the context allows the
    camera."""
    context = browser.new_context(
        locale="en-GB",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        permissions=["camera"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    url = f"/organise/{day.edition.slug}/checkin/doors/{door}/"
    page.goto(f"{live_server.url}/admin/login/?next={url}")
    page.locator("#id_username").fill(day.door_staff.username)
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}{url}")
    return page


def test_a_badge_held_up_to_the_camera_checks_its_holder_in_once(
    live_server: Any, camera_browser: Any, day: Day
) -> None:
    page = open_door(live_server, camera_browser, day)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    scans: list[str] = []
    page.on("request", lambda r: scans.append(r.url) if r.method == "POST" else None)
    answers: list[str] = []
    page.on(
        "response",
        lambda r: answers.append(f"{r.status} {r.url}") if r.request.method == "POST" else None,
    )
    start = page.get_by_role("button", name="Scan with the camera")
    start.click()  # as the door staff start it: the button, then the browser's permission
    page.locator("#camera-video").wait_for(state="visible")

    answer = page.locator('#scan-result .kc-scan[data-outcome="welcome"]')
    # The decoder reads frames as fast as a busy machine lets it: give it time, not a fixed pace.
    try:
        answer.wait_for(timeout=60_000)
    except PlaywrightTimeoutError:
        # Say what the page did instead (it failed this way twice in CI, never when run alone).
        video = page.locator("#camera-video").evaluate(
            "v => ({ready: v.readyState, width: v.videoWidth, paused: v.paused})"
        )
        pytest.fail(
            f"no welcome within 60 s; scans sent {scans}, answered {answers}; "
            f"result {page.locator('#scan-result').inner_html()!r}; video {video}; "
            f"camera problem shown {page.locator('#camera-problem').is_visible()}; "
            f"console {console}"
        )
    assert "kc-scan--ok" in (answer.get_attribute("class") or "")
    assert "Anna de Vries" in answer.inner_text()
    check_in = CheckIn.objects.get()
    assert (check_in.registration, check_in.kind, check_in.door) == (
        day.people["anna"],
        "entry",
        "3",
    )
    stop = page.get_by_role("button", name="Stop the camera")
    assert stop.is_visible()
    assert not page.locator("#camera-problem").is_visible()

    # The badge stays in front of the camera (the video loops): it is not sent again, so the
    # green answer is not replaced by a red "already checked in".
    page.wait_for_timeout(5_000)  # not time.sleep: Playwright takes its events meanwhile
    assert len(scans) == 1
    assert page.locator("#scan-result .kc-scan").get_attribute("data-outcome") == "welcome"
    assert CheckIn.objects.count() == 1
    assert_accessible(page)

    stop.click()
    assert page.locator("#camera-video").is_hidden()
    assert start.is_visible()
    # The scanner runs under the site's Content Security Policy.
    assert [m for m in console if "Content Security Policy" in m] == []
    page.context.close()


def test_without_a_camera_the_page_says_so_and_the_field_still_works(
    live_server: Any, browser: Any, day: Day
) -> None:
    page = open_door(live_server, browser, day, door="1")  # this Chromium has no camera
    page.get_by_role("button", name="Scan with the camera").click()
    problem = page.locator("#camera-problem")
    problem.wait_for(state="visible")
    assert "The camera could not be started" in problem.inner_text()
    assert problem.get_attribute("role") == "alert"
    assert page.locator("#camera-video").is_hidden()
    field = page.locator("#scan_token")
    assert field.evaluate("element => element === document.activeElement")
    assert_accessible(page)

    # A hardware scanner types into the field, as before.
    field.fill(badge_token(registration=day.people["bram"]))
    field.press("Enter")
    page.locator('#scan-result .kc-scan[data-outcome="welcome"]').wait_for()
    assert "Bram Jansen" in page.locator("#scan-result").inner_text()
    assert CheckIn.objects.get().registration == day.people["bram"]
    page.context.close()
