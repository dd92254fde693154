"""The one access rule, walked: every page of the workspace, as each demo account, as door
staff and as a visitor who is not signed in."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ketenconf.demo.load import DEFAULT_PASSWORD
from ketenconf.workspace.access import Part

pytestmark = pytest.mark.django_db

EDITIONS = ("ketenconferentie-2018", "van-migratie-tot-participatie-2024", "ketenconferentie-2027")


def workspace_pages() -> list[tuple[str, Part]]:
    """Every workspace page that needs only the edition's slug, as (route, part)."""
    found: list[tuple[str, Part]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            else:
                part = getattr(pattern.callback, "workspace_part", None)
                if part is not None and route.count("<") == 1 and "<slug:slug>" in route:
                    found.append((route, part))

    walk(get_resolver().url_patterns, "/")
    return found


def test_the_walk_covers_the_dashboard():
    assert ("/organise/<slug:slug>/", Part.DASHBOARD) in workspace_pages()


#: What each role opens, spelled out here rather than read from the rule it tests.
EVERY_PART = frozenset(Part)
OPENS: dict[str, frozenset[Part]] = {
    "lead": EVERY_PART - {Part.SESSIONS},
    "partner": EVERY_PART - {Part.SESSIONS, Part.TEAM, Part.SETTINGS},
    "host": frozenset({Part.SESSIONS}),
    "door": frozenset({Part.CHECKIN}),
}
Y2018, Y2024, Y2027 = EDITIONS
#: The demo accounts' roles (see ketenconf/demo/editions.py): staff of an organisation are lead
#: organiser where it leads and partner organiser where it partners.
ROLES: dict[str, dict[str, str]] = {
    "organisator": {Y2018: "lead", Y2024: "lead", Y2027: "lead"},  # superuser
    "jenv": {Y2018: "partner", Y2024: "partner", Y2027: "lead"},
    "dtv": {Y2018: "lead", Y2027: "partner"},
    "vng": {Y2024: "lead"},
    "deur": {Y2027: "door"},
    "gastheer": {Y2018: "host"},
}


def _expected(username: str, slug: str, part: Part) -> int:
    role = ROLES[username].get(slug)
    if role is None:
        return 404
    return 200 if part in OPENS[role] else 403


@pytest.mark.parametrize("username", list(ROLES))
def test_each_account_gets_the_pages_the_rule_gives_it(client, demo, username):
    assert client.login(username=username, password=DEFAULT_PASSWORD)
    got, wanted = {}, {}
    for route, part in workspace_pages():
        for slug in EDITIONS:
            url = route.replace("<slug:slug>", slug)
            got[url] = client.get(url).status_code
            wanted[url] = _expected(username, slug, part)
    assert got == wanted


def test_the_walk_meets_every_role_and_part():
    walked = {part for _route, part in workspace_pages()}
    assert {Part.TEAM, Part.SESSIONS, Part.SETTINGS, Part.CHECKIN, Part.DASHBOARD} <= walked
    assert {role for roles in ROLES.values() for role in roles.values()} == set(OPENS)


def test_a_visitor_is_sent_to_the_login_page_and_back(client, demo):
    for route, _part in workspace_pages():
        for slug in EDITIONS:
            url = route.replace("<slug:slug>", slug)
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (
                302,
                f"/organise/login/?next={url}",
            )
    assert client.get("/organise/")["Location"] == "/organise/login/?next=/organise/"


@pytest.mark.parametrize(
    ("username", "titles"),
    [
        (
            "jenv",
            ["Ketenconferentie 2027", "Van Migratie tot Participatie", "Ketenconferentie 2018"],
        ),
        ("vng", ["Van Migratie tot Participatie"]),
        ("deur", ["Ketenconferentie 2027"]),
        ("gastheer", ["Ketenconferentie 2018"]),
    ],
)
def test_the_list_of_editions_shows_what_the_rule_gives(client, demo, username, titles):
    client.login(username=username, password=DEFAULT_PASSWORD)
    response = client.get("/organise/")
    assert response.status_code == 200
    assert [access.edition.title for access, _url in response.context["rows"]] == titles


def test_door_staff_are_led_to_check_in_hosts_to_their_sessions_organisers_to_the_dashboard(
    client, demo
):
    client.login(username="deur", password=DEFAULT_PASSWORD)
    rows = client.get("/organise/").context["rows"]
    assert [url for _access, url in rows] == ["/organise/ketenconferentie-2027/checkin/"]
    client.logout()
    client.login(username="gastheer", password=DEFAULT_PASSWORD)
    rows = client.get("/organise/").context["rows"]
    assert [url for _access, url in rows] == ["/organise/ketenconferentie-2018/sessions/"]
    client.logout()
    client.login(username="dtv", password=DEFAULT_PASSWORD)
    rows = client.get("/organise/").context["rows"]
    assert [url for _access, url in rows] == [
        "/organise/ketenconferentie-2027/",
        "/organise/ketenconferentie-2018/",
    ]


def test_the_login_page_leads_into_the_workspace(client, demo):
    page = client.get("/organise/login/?next=/organise/ketenconferentie-2027/")
    assert page.status_code == 200
    response = client.post(
        "/organise/login/",
        {
            "username": "jenv",
            "password": DEFAULT_PASSWORD,
            "next": "/organise/ketenconferentie-2027/",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/organise/ketenconferentie-2027/")
    assert client.get("/organise/ketenconferentie-2027/").status_code == 200


def test_a_wrong_password_shows_the_form_again_and_changes_nothing(client, demo):
    response = client.post("/organise/login/", {"username": "jenv", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert client.get("/organise/ketenconferentie-2027/").status_code == 302
