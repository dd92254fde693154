"""The participant's pages through Django's test client: register, open the link, self-service.

Everything a participant does is a form post, so these pages are tested without JavaScript;
tests/browser/test_registration_flow.py walks the same way in Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ketenconf.events.models import Edition, EditionStatus
from ketenconf.mail.models import OutboxMessage
from ketenconf.programme.models import Block, Topic
from ketenconf.registration import links, services
from ketenconf.registration.models import AccessToken, Preference, Registration
from tests.factories import (
    BlockFactory,
    EditionFactory,
    RoomFactory,
    SessionFactory,
    TopicFactory,
    at,
)

pytestmark = pytest.mark.django_db

SLUG = "ketenconferentie-2027"
ME = f"/{SLUG}/me/"
NEW_LINK = f"/{SLUG}/me/new-link/"
PERSONAL_PAGES = ["", "details/", "workshops/", "rounds/", "data.json", "delete/"]


# --- Reading pages ------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects the text of elements by id, the selected value of each select, checked boxes."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.texts: dict[str, list[str]] = {}
        self.selects: dict[str, str] = {}
        self.select: str | None = None
        self.checked: list[str] = []
        self.options: dict[str, list[str]] = {}
        self.option_value: str | None = None
        self.in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":
            self.select = found["name"]
            self.selects[self.select or ""] = ""
            self.options[self.select or ""] = []
        if tag == "option" and self.select is not None:
            self.in_option = True
            self.options[self.select].append("")
            if "selected" in found:
                self.selects[self.select] = found.get("value") or ""
        if tag == "input" and found.get("type") == "checkbox" and "checked" in found:
            self.checked.append(found.get("value") or "on")
        self._gap()
        if tag in self.VOID:
            return
        self.open.append((tag, found.get("id")))
        if found.get("id"):
            self.texts[found["id"] or ""] = []

    def _gap(self) -> None:
        """Elements are separated by a space, as a reader would see them."""
        for _tag, element_id in self.open:
            if element_id:
                self.texts[element_id].append(" ")

    def handle_endtag(self, tag: str) -> None:
        self._gap()
        if tag == "select":
            self.select = None
        if tag == "option":
            self.in_option = False
        while self.open:
            name, _id = self.open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, element_id in self.open:
            if element_id:
                self.texts[element_id].append(data)
        if self.in_option and self.select is not None:
            self.options[self.select][-1] += data


def page(response: Any) -> _Page:
    parsed = _Page()
    parsed.feed(response.content.decode())
    return parsed


def text(response: Any, element_id: str) -> str:
    return " ".join("".join(page(response).texts[element_id]).split())


def h1(response: Any) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match is not None
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


# --- Setting up ---------------------------------------------------------------------------------


@pytest.fixture
def edition(programme_edition: Edition) -> Edition:
    programme_edition.status = EditionStatus.REGISTRATION_OPEN
    programme_edition.save()
    return programme_edition


def topic(title: str) -> Topic:
    return Topic.objects.get(title_nl=title)


def round_1() -> Block:
    return Block.objects.get(title_nl="Workshopronde 1")


def add_round(edition: Edition, *titles: str, hour: int = 13) -> Block:
    """A second workshop round holding ``titles``: existing topics run again, new ones are made."""
    block = BlockFactory(
        edition=edition,
        kind="round",
        title_nl="Workshopronde 2",
        title_en="Workshop round 2",
        start=at(edition.start_date, hour),
        end=at(edition.start_date, hour + 1),
    )
    for title in titles:
        found = Topic.objects.filter(edition=edition, title_nl=title).first()
        SessionFactory(
            edition=edition,
            topic=found or TopicFactory(edition=edition, title_nl=title, title_en=title),
            block=block,
            room=RoomFactory(edition=edition, capacity=30),
        )
    return block


def register_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Fatima el Amrani",
        "email": "fatima@example.org",
        "organisation": "Gemeente Utrecht",
        "job_title": "Beleidsadviseur",
        "dietary_needs": "",
        "accessibility_needs": "",
        "language": "nl",
        **changes,
    }


def link_path(email: str) -> str:
    """The personal link in the latest mail to ``email``, as a path on this site."""
    mail = OutboxMessage.objects.filter(to=email).order_by("-created_at", "-pk").first()
    assert mail is not None
    found = re.search(r"https?://[^/\s]+(/\S*/me/link/\S+/)", mail.body_text)
    assert found is not None, mail.body_text
    return found.group(1)


def logged_in(registration: Registration) -> Client:
    """A browser that has opened a fresh personal link of ``registration``."""
    client = Client()
    token = links.access_token_create(registration=registration)
    response = client.post(f"/{registration.edition.slug}/me/link/{token}/")
    assert response.status_code == 302
    return client


def fresh(registration: Registration) -> Registration:
    return Registration.objects.get(pk=registration.pk)


def ranked_titles(registration: Registration) -> list[str]:
    return [
        p.topic.title_nl
        for p in Preference.objects.filter(registration=registration).select_related("topic")
    ]


def register(edition: Edition, name: str, email: str) -> Registration:
    registration = services.registration_create(
        edition=edition,
        name=name,
        email=email,
        organisation_name="Immigratie- en Naturalisatiedienst",
        job_title="Regievoerder",
    ).registration
    services.registration_confirm_email(registration=registration)
    return registration


@pytest.fixture
def participant(edition: Edition) -> Registration:
    return register(edition, "Pieter de Vries", "pieter@example.org")


@pytest.fixture
def client_for(participant: Registration) -> Client:
    return logged_in(participant)


# --- Register, open the link, the personal page -------------------------------------------------


def test_register_then_open_the_mailed_link_and_see_the_personal_page(
    client: Client, edition: Edition
) -> None:
    response = client.post(f"/{SLUG}/register/", register_form())
    assert response.status_code == 200
    assert h1(response) == "U hebt een plaats"
    registration = Registration.objects.get(email="fatima@example.org")
    assert registration.confirmed_at is None

    path = link_path("fatima@example.org")
    assert path.startswith(f"/{SLUG}/me/link/")
    # Opening the link (as a mail scanner would) uses nothing up: a second look still works.
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200
        assert h1(response) == "Welkom, Fatima"
    assert AccessToken.objects.get(registration=registration).used_at is None
    assert client.get(ME).url == NEW_LINK  # not logged in by looking

    response = client.post(path)
    assert response.status_code == 302
    assert response.url == ME
    assert fresh(registration).confirmed_at is not None

    response = client.get(ME)
    assert response.status_code == 200
    assert h1(response) == "Uw aanmelding, Fatima el Amrani"
    assert text(response, "registration-status") == "U bent aangemeld: u hebt een plaats."
    assert text(response, "programme-heading") == "Uw persoonlijke programma"
    assert text(response, "attended-rounds") == "Workshopronde 1, 10:30–11:30: u bent erbij"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"

    # The link is used up now.
    response = client.post(path)
    assert response.status_code == 400
    assert text(response, "main").startswith(
        "Deze link werkt niet Deze link is al gebruikt. Vraag hieronder een nieuwe aan."
    )


def test_register_form_refuses_bad_input_with_messages_per_field(
    client: Client, edition: Edition
) -> None:
    response = client.post(
        f"/{SLUG}/register/",
        register_form(name="", email="fatima@", organisation="<b>IND</b>", language="de"),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors == {
        "name": ["Dit veld is verplicht."],
        "email": ["Voer een geldig e-mailadres in."],
        "organisation": ["Punthaken (< en >) zijn hier niet toegestaan."],
        "language": ["Selecteer een geldige keuze. de is geen beschikbare keuze."],
    }
    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("registered", "U bent aangemeld: u hebt een plaats."),
        (
            "waitlisted",
            "U staat op de wachtlijst, op plaats 1. Komt er een plaats vrij, dan gaat die "
            "naar de eerste op de lijst en mailen wij u.",
        ),
        ("cancelled", "Uw aanmelding is geannuleerd."),
        (
            "released",
            "Uw aanmelding is vervallen: het e-mailadres is niet op tijd bevestigd.",
        ),
    ],
)
def test_the_personal_page_says_the_status_plainly(
    edition: Edition, participant: Registration, client_for: Client, status: str, expected: str
) -> None:
    Registration.objects.filter(pk=participant.pk).update(
        status=status, waitlisted_at=timezone.now() if status == "waitlisted" else None
    )
    response = client_for.get(ME)
    assert text(response, "registration-status") == expected
    active = status in ("registered", "waitlisted")
    assert ("ranked-workshops" in response.content.decode()) is False
    assert ('id="workshops-heading"' in response.content.decode()) is active
    assert ('id="cancel-heading"' in response.content.decode()) is active


def test_cancel_from_the_personal_page_asks_first_and_says_it_plainly(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    personal = client_for.get(ME).content.decode()
    assert f'href="{ME}cancel/"' in personal
    # The link opens a page that asks; looking at it changes nothing.
    confirm = client_for.get(f"{ME}cancel/")
    assert confirm.status_code == 200
    assert text_of_h1(confirm) == "Uw aanmelding annuleren?"
    assert fresh(participant).status == "registered"
    response = client_for.post(f"{ME}cancel/")
    assert response.url == ME
    assert fresh(participant).status == "cancelled"
    response = client_for.get(ME)
    assert text(response, "registration-status") == "Uw aanmelding is geannuleerd."
    # Said as a neutral fact, not as a green success.
    html = response.content.decode()
    assert '<div class="utrecht-alert utrecht-alert--info kc-alert" role="status">' in html
    assert "utrecht-alert--ok" not in html
    # Once cancelled, the confirmation page leads back to the personal page.
    assert client_for.get(f"{ME}cancel/").url == ME
    assert client_for.get(f"{ME}workshops/").url == ME  # nothing to rank once cancelled


# --- Details ------------------------------------------------------------------------------------


def details_form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Pieter de Vries",
        "job_title": "Teamleider",
        "needs_step_free": "on",
        "language": "en",
        **changes,
    }


def test_edit_details(edition: Edition, participant: Registration, client_for: Client) -> None:
    response = client_for.get(f"{ME}details/")
    assert response.status_code == 200
    assert page(response).selects == {"language": "nl"}
    assert response.context["form"]["job_title"].value() == "Regievoerder"

    response = client_for.post(f"{ME}details/", details_form(name="  Pieter   de Vries-Bakker "))
    assert response.url == ME
    saved = fresh(participant)
    assert (
        saved.name,
        saved.job_title,
        saved.needs_step_free,
        saved.networking_consent,
        saved.language,
    ) == ("Pieter de Vries-Bakker", "Teamleider", True, False, "en")
    response = client_for.get(ME)
    assert text(response, "main").count("Uw gegevens zijn opgeslagen.") == 1


def test_details_refused_with_messages_change_nothing(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    response = client_for.post(
        f"{ME}details/", details_form(name="", job_title="a\x07b", language="fr")
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "name": ["Dit veld is verplicht."],
        "job_title": ["Haal de onzichtbare stuurtekens uit deze tekst."],
        "language": ["Selecteer een geldige keuze. fr is geen beschikbare keuze."],
    }
    assert fresh(participant).job_title == "Regievoerder"


# --- Ranking the workshops ----------------------------------------------------------------------


def test_rank_per_round_when_every_workshop_runs_in_one_round(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    response = client_for.get(f"{ME}workshops/")
    assert response.status_code == 200
    parsed = page(response)
    assert parsed.selects == {"round1-1": "", "round1-2": "", "round1-3": ""}
    assert parsed.options["round1-1"] == [
        "— geen keuze —",
        "Arbeidsmigratie",
        "Huisvesting",
        "Terugkeer",
    ]
    assert text(response, "ranking-groups").startswith("Workshopronde 1, 10:30–11:30 Keuze 1")

    response = client_for.post(
        f"{ME}workshops/",
        {"round1-1": topic("Huisvesting").pk, "round1-2": "", "round1-3": topic("Terugkeer").pk},
    )
    assert response.url == ME
    assert ranked_titles(participant) == ["Huisvesting", "Terugkeer"]
    response = client_for.get(ME)
    assert text(response, "ranked-workshops") == "Huisvesting Terugkeer"

    # The stored ranking comes back in the boxes, empty box closed up.
    parsed = page(client_for.get(f"{ME}workshops/"))
    assert parsed.selects == {
        "round1-1": str(topic("Huisvesting").pk),
        "round1-2": str(topic("Terugkeer").pk),
        "round1-3": "",
    }


def test_per_round_choices_are_stored_interleaved(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    add_round(edition, "Digitale keten", "Statushouders")
    response = client_for.get(f"{ME}workshops/")
    assert sorted(page(response).selects) == [
        "round1-1",
        "round1-2",
        "round1-3",
        "round2-1",
        "round2-2",
    ]
    response = client_for.post(
        f"{ME}workshops/",
        {
            "round1-1": topic("Terugkeer").pk,
            "round1-2": topic("Arbeidsmigratie").pk,
            "round1-3": topic("Huisvesting").pk,
            "round2-1": topic("Statushouders").pk,
            "round2-2": "",
        },
    )
    assert response.url == ME
    assert ranked_titles(participant) == [
        "Terugkeer",
        "Statushouders",
        "Arbeidsmigratie",
        "Huisvesting",
    ]
    parsed = page(client_for.get(f"{ME}workshops/"))
    assert parsed.selects["round2-1"] == str(topic("Statushouders").pk)
    assert parsed.selects["round1-3"] == str(topic("Huisvesting").pk)


def test_rank_across_workshops_when_one_runs_in_several_rounds(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    add_round(edition, "Terugkeer", "Statushouders")
    response = client_for.get(f"{ME}workshops/")
    assert text(response, "workshop-rounds-caption") == "De workshops en de rondes waarin ze lopen"
    assert text(response, "workshop-rounds") == (
        "Workshop Loopt in "
        "Arbeidsmigratie Workshopronde 1 "
        "Huisvesting Workshopronde 1 "
        "Statushouders Workshopronde 2 "
        "Terugkeer Workshopronde 1, Workshopronde 2"
    )
    parsed = page(response)
    # Two rounds: the number of rounds plus two boxes.
    assert parsed.selects == {"choice-1": "", "choice-2": "", "choice-3": "", "choice-4": ""}
    assert parsed.options["choice-1"] == [
        "— geen keuze —",
        "Arbeidsmigratie (Workshopronde 1)",
        "Huisvesting (Workshopronde 1)",
        "Statushouders (Workshopronde 2)",
        "Terugkeer (Workshopronde 1, Workshopronde 2)",
    ]
    response = client_for.post(
        f"{ME}workshops/",
        {
            "choice-1": topic("Statushouders").pk,
            "choice-2": topic("Terugkeer").pk,
            "choice-3": topic("Huisvesting").pk,
        },
    )
    assert response.url == ME
    assert ranked_titles(participant) == ["Statushouders", "Terugkeer", "Huisvesting"]


def test_a_repeated_or_unknown_workshop_is_refused_and_nothing_changes(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    services.registration_set_preferences(
        registration=participant, topic_ids=[topic("Terugkeer").pk]
    )
    housing = topic("Huisvesting").pk
    response = client_for.post(
        f"{ME}workshops/", {"round1-1": housing, "round1-2": 999999, "round1-3": housing}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "round1-2": ["Selecteer een geldige keuze. 999999 is geen beschikbare keuze."],
        "round1-3": ["U hebt Huisvesting al gekozen als keuze 1."],
    }
    assert text(response, "form-errors") == (
        "Verbeter wat hieronder is aangegeven. "
        "Keuze 2: Selecteer een geldige keuze. 999999 is geen beschikbare keuze. "
        "Keuze 3: U hebt Huisvesting al gekozen als keuze 1."
    )
    assert 'aria-invalid="true" aria-describedby="id_round1-3-error"' in response.content.decode()
    assert ranked_titles(participant) == ["Terugkeer"]


def test_a_workshop_of_another_edition_is_refused(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    elsewhere = SessionFactory(topic__title_nl="Elders").topic
    response = client_for.post(f"{ME}workshops/", {"round1-1": elsewhere.pk})
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "round1-1": [f"Selecteer een geldige keuze. {elsewhere.pk} is geen beschikbare keuze."]
    }
    assert ranked_titles(participant) == []


def test_move_buttons_reorder_without_javascript_and_save_nothing(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    chosen = {
        "round1-1": topic("Terugkeer").pk,
        "round1-2": topic("Huisvesting").pk,
        "round1-3": topic("Arbeidsmigratie").pk,
    }
    response = client_for.post(f"{ME}workshops/", {**chosen, "move": "round1-2:up"})
    assert response.status_code == 200
    assert page(response).selects == {
        "round1-1": str(topic("Huisvesting").pk),
        "round1-2": str(topic("Terugkeer").pk),
        "round1-3": str(topic("Arbeidsmigratie").pk),
    }
    assert text(response, "ranking-status") == (
        "Huisvesting is nu keuze 1. Sla uw keuzes op om deze volgorde te bewaren."
    )
    assert ranked_titles(participant) == []

    # The moved choice keeps the focus: at the top it can only go down.
    assert re.findall(r"<[^>]* autofocus[^>]*>", response.content.decode()) == [
        f'<button type="submit" name="move" value="round1-1:down" '
        f'id="move-down-{topic("Huisvesting").pk}" autofocus class="utrecht-button '
        f'utrecht-button--subtle kc-move kc-move--down" hx-post="{ME}workshops/" hx-target="#ranking-groups" '
        f'hx-swap="outerHTML">'
    ]

    response = client_for.post(f"{ME}workshops/", {**chosen, "move": "round1-2:down"})
    assert page(response).selects["round1-3"] == str(topic("Huisvesting").pk)
    assert re.findall(r'id="([^"]+)" autofocus', response.content.decode()) == [
        f"move-up-{topic('Huisvesting').pk}"
    ]

    # Nonsense moves show the boxes as posted.
    for move in ("round1-1:up", "round1-3:down", "x", "round1-a:up", "round9-1:down"):
        response = client_for.post(f"{ME}workshops/", {**chosen, "move": move})
        assert response.status_code == 200
        assert page(response).selects == {k: str(v) for k, v in chosen.items()}
        assert text(response, "ranking-status") == ""


def test_htmx_move_gets_only_the_boxes_and_the_status(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    chosen = {"round1-1": topic("Terugkeer").pk, "round1-2": topic("Huisvesting").pk}
    response = client_for.post(
        f"{ME}workshops/", {**chosen, "move": "round1-1:down"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="ranking-groups"')
    assert "<html" not in body
    assert page(response).selects == {
        "round1-1": str(topic("Huisvesting").pk),
        "round1-2": str(topic("Terugkeer").pk),
        "round1-3": "",
    }
    assert body.endswith(
        '<div id="ranking-status" hx-swap-oob="innerHTML">'
        "Terugkeer is nu keuze 2. Sla uw keuzes op om deze volgorde te bewaren.</div>\n"
    )
    assert ranked_titles(participant) == []


def test_ranking_without_workshops_says_so(client: Client) -> None:
    edition = EditionFactory(slug="zonder", status=EditionStatus.REGISTRATION_OPEN)
    registration = register(edition, "Anna", "anna@example.org")
    response = logged_in(registration).get("/zonder/me/workshops/")
    assert response.status_code == 200
    assert text(response, "main") == (
        "Rangschik de workshops Deze editie heeft nog geen workshops om uit te kiezen. "
        "Terug naar uw persoonlijke pagina"
    )


@pytest.mark.parametrize("workshops", [1, 3])
def test_ranking_page_queries_do_not_grow_with_the_workshops(
    django_assert_num_queries: Any, workshops: int
) -> None:
    edition = EditionFactory(slug="telling", status=EditionStatus.REGISTRATION_OPEN)
    block = BlockFactory(edition=edition)
    later = BlockFactory(
        edition=edition, start=at(edition.start_date, 14), end=at(edition.start_date, 15)
    )
    for _ in range(workshops):
        session = SessionFactory(edition=edition, block=block)
        SessionFactory(edition=edition, block=later, topic=session.topic)
    registration = register(edition, "Anna", "anna@example.org")
    services.registration_set_preferences(
        registration=registration,
        topic_ids=list(Topic.objects.filter(edition=edition).values_list("pk", flat=True)),
    )
    client = logged_in(registration)
    # The eighth asks for the rounds Anna does not attend (none: no warning to work out).
    with django_assert_num_queries(8):
        response = client.get("/telling/me/workshops/")
    assert response.status_code == 200
    assert len(page(response).selects) == min(workshops, 4)


# --- Rounds attended ----------------------------------------------------------------------------


def test_rounds_attended_default_to_all_and_can_be_unticked(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    second = add_round(edition, "Statushouders")
    first = round_1()
    response = client_for.get(f"{ME}rounds/")
    assert response.status_code == 200
    assert page(response).checked == [str(first.pk), str(second.pk)]

    response = client_for.post(f"{ME}rounds/", {"rounds": [second.pk]})
    assert response.url == ME
    assert list(fresh(participant).absent_rounds.all()) == [first]
    response = client_for.get(ME)
    assert text(response, "attended-rounds") == (
        "Workshopronde 1, 10:30–11:30: u bent er niet bij "
        "Workshopronde 2, 13:00–14:00: u bent erbij"
    )
    assert page(client_for.get(f"{ME}rounds/")).checked == [str(second.pk)]

    assert client_for.post(f"{ME}rounds/", {}).url == ME  # none ticked: no field posted at all
    assert list(fresh(participant).absent_rounds.order_by("start")) == [first, second]
    client_for.post(f"{ME}rounds/", {"rounds": [first.pk, second.pk]})
    assert list(fresh(participant).absent_rounds.all()) == []


def test_unticking_the_only_round_of_a_first_choice_is_warned_of(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    second = add_round(edition, "Statushouders")
    statushouders = topic("Statushouders")
    services.registration_set_preferences(registration=participant, topic_ids=[statushouders.pk])
    assert 'id="unattended-choices"' not in client_for.get(f"{ME}workshops/").content.decode()

    response = client_for.post(f"{ME}rounds/", {"rounds": [round_1().pk]}, follow=True)

    assert list(fresh(participant).absent_rounds.all()) == [second]
    warning = (
        "Uw keuze 1, Statushouders, is alleen in Workshopronde 2, waar u niet bij bent: daarin "
        "kunt u geen plaats krijgen."
    )
    assert warning in " ".join(response.content.decode().split())
    ranking = client_for.get(f"{ME}workshops/")
    assert text(ranking, "unattended-choices").startswith(warning)
    # Ticked again, the warning is gone.
    client_for.post(f"{ME}rounds/", {"rounds": [round_1().pk, second.pk]})
    assert 'id="unattended-choices"' not in client_for.get(f"{ME}workshops/").content.decode()


def test_a_round_not_of_this_edition_is_refused(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    elsewhere = BlockFactory()
    response = client_for.post(f"{ME}rounds/", {"rounds": [round_1().pk, elsewhere.pk]})
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "rounds": [f"Selecteer een geldige keuze. {elsewhere.pk} is geen beschikbare keuze."]
    }
    assert text(response, "form-errors") == (
        "Verbeter wat hieronder is aangegeven. Rondes die ik bijwoon: "
        f"Selecteer een geldige keuze. {elsewhere.pk} is geen beschikbare keuze."
    )
    assert list(fresh(participant).absent_rounds.all()) == []


# --- Own data: download and delete -------------------------------------------------------------


AMSTERDAM_TIME = dt.timezone(dt.timedelta(hours=1))


def test_download_own_data_as_json(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    services.registration_set_preferences(
        registration=participant, topic_ids=[topic("Huisvesting").pk, topic("Terugkeer").pk]
    )
    participant.absent_rounds.set([round_1()])
    march = dt.datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM_TIME)
    Registration.objects.filter(pk=participant.pk).update(
        name="Zoë de Vries", created_at=march, confirmed_at=march + dt.timedelta(minutes=5)
    )
    first, second = AccessToken.objects.filter(registration=participant).order_by("pk")
    AccessToken.objects.filter(pk=first.pk).update(
        created_at=march, expires_at=march + dt.timedelta(days=14)
    )
    AccessToken.objects.filter(pk=second.pk).update(
        created_at=march + dt.timedelta(minutes=4),
        expires_at=march + dt.timedelta(days=14, minutes=4),
        used_at=march + dt.timedelta(minutes=5),
    )
    OutboxMessage.objects.filter(to="pieter@example.org").update(
        created_at=march, sent_at=march + dt.timedelta(seconds=3), status="sent"
    )
    OutboxMessage.objects.create(
        to="pieter@example.org", subject="Elders", body_text="", body_html="", message_id="<x@y>"
    )

    response = client_for.get(f"{ME}data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="ketenconferentie-2027-my-data.json"'
    )
    assert "Zoë de Vries" in response.content.decode("utf-8")  # readable, not \u escapes
    assert json.loads(response.content) == {
        "edition": {"slug": SLUG, "title": "Ketenconferentie 2027"},
        "registration": {
            "name": "Zoë de Vries",
            "email": "pieter@example.org",
            "organisation": "Immigratie- en Naturalisatiedienst",
            "job_title": "Regievoerder",
            "needs_step_free": False,
            "networking_consent": False,
            "wants_better_seat": True,
            "arrives_from": None,
            "language": "nl",
            "status": "registered",
            "waitlist_position": None,
            "registered_at": "2027-03-01T09:00:00+01:00",
            "email_confirmed_at": "2027-03-01T09:05:00+01:00",
            "waitlisted_at": None,
            "cancelled_at": None,
        },
        "preferences": [{"rank": 1, "topic": "Huisvesting"}, {"rank": 2, "topic": "Terugkeer"}],
        "rounds_not_attended": [
            {
                "round": "Workshopronde 1",
                "start": "2027-04-15T10:30:00+02:00",
                "end": "2027-04-15T11:30:00+02:00",
            }
        ],
        "personal_links": [
            {
                "created_at": "2027-03-01T09:00:00+01:00",
                "expires_at": "2027-03-15T09:00:00+01:00",
                "used_at": None,
            },
            {
                "created_at": "2027-03-01T09:04:00+01:00",
                "expires_at": "2027-03-15T09:04:00+01:00",
                "used_at": "2027-03-01T09:05:00+01:00",
            },
        ],
        "mails": [
            {
                "subject": "U bent aangemeld voor Ketenconferentie 2027: bevestig uw e-mailadres",
                "created_at": "2027-03-01T09:00:00+01:00",
                "sent_at": "2027-03-01T09:00:03+01:00",
            }
        ],
    }


def test_delete_own_registration_and_data(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    waiting = register(edition, "Fatima el Amrani", "fatima@example.org")
    assert waiting.status == "waitlisted"
    services.registration_set_preferences(
        registration=participant, topic_ids=[topic("Huisvesting").pk]
    )

    response = client_for.get(f"{ME}delete/")
    assert response.status_code == 200
    assert h1(response) == "Uw aanmelding en gegevens verwijderen?"
    assert Registration.objects.filter(pk=participant.pk).exists()  # looking deletes nothing

    response = client_for.post(f"{ME}delete/")
    assert response.url == f"{ME}deleted/"
    assert not Registration.objects.filter(pk=participant.pk).exists()
    assert Preference.objects.count() == 0
    assert AccessToken.objects.filter(registration_id=participant.pk).count() == 0
    assert fresh(waiting).status == "registered"  # the seat went on

    response = client_for.get(f"{ME}deleted/")
    assert text(response, "main") == (
        "Uw aanmelding en gegevens zijn verwijderd Wij bewaren uw gegevens, workshopkeuzes en "
        "persoonlijke links niet meer, en uw persoonlijke pagina is gesloten. "
        "Terug naar Ketenconferentie 2027"
    )
    for path in PERSONAL_PAGES:
        assert client_for.get(f"{ME}{path}").url == NEW_LINK


# --- Only one's own registration, and only on purpose -------------------------------------------


def test_each_browser_reaches_only_the_registration_of_its_own_link(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    other = register(edition, "Fatima el Amrani", "fatima@example.org")
    other_client = logged_in(other)
    for path in PERSONAL_PAGES:
        mine = client_for.get(f"{ME}{path}")
        theirs = other_client.get(f"{ME}{path}")
        assert (mine.status_code, theirs.status_code) == (200, 200), path
        assert "Fatima" not in mine.content.decode(), path
        assert "fatima@example.org" not in mine.content.decode(), path
        assert "Pieter" not in theirs.content.decode(), path
        assert "pieter@example.org" not in theirs.content.decode(), path
    assert json.loads(other_client.get(f"{ME}data.json").content)["registration"]["email"] == (
        "fatima@example.org"
    )

    other_client.post(f"{ME}details/", details_form(name="Fatima Bakker"))
    other_client.post(f"{ME}workshops/", {"round1-1": topic("Terugkeer").pk})
    other_client.post(f"{ME}rounds/", {})
    other_client.post(f"{ME}cancel/")
    assert (fresh(participant).name, fresh(participant).status) == ("Pieter de Vries", "registered")
    assert ranked_titles(participant) == []
    assert fresh(participant).absent_rounds.count() == 0
    assert (fresh(other).name, fresh(other).status) == ("Fatima Bakker", "cancelled")

    other_client.post(f"{ME}delete/")
    assert Registration.objects.filter(pk=participant.pk).exists()
    assert client_for.get(ME).status_code == 200


def test_without_a_link_every_personal_page_asks_for_one_and_changes_nothing(
    client: Client, edition: Edition, participant: Registration
) -> None:
    for path in PERSONAL_PAGES:
        response = client.get(f"{ME}{path}")
        assert (response.status_code, response.url) == (302, NEW_LINK), path
    for path in ("details/", "workshops/", "rounds/", "cancel/", "delete/"):
        response = client.post(f"{ME}{path}", {"name": "X", "round1-1": topic("Terugkeer").pk})
        assert (response.status_code, response.url) == (302, NEW_LINK), path
    saved = fresh(participant)
    assert (saved.name, saved.status, ranked_titles(saved)) == (
        "Pieter de Vries",
        "registered",
        [],
    )


def test_a_session_is_for_one_edition_and_ends_when_the_data_is_anonymised(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    other_edition = EditionFactory(slug="andere", status=EditionStatus.REGISTRATION_OPEN)
    assert client_for.get("/andere/me/").url == "/andere/me/new-link/"
    services.edition_anonymise(edition=edition)
    assert client_for.get(ME).url == NEW_LINK
    assert other_edition.registrations.count() == 0


def test_tampered_expired_used_or_foreign_links_show_the_clear_page(
    client: Client, edition: Edition, participant: Registration
) -> None:
    good = links.access_token_create(registration=participant)
    middle = len(good) // 2
    tampered = good[:middle] + ("A" if good[middle] != "A" else "B") + good[middle + 1 :]
    expired = links.access_token_create(registration=participant, lifetime=dt.timedelta(seconds=-1))
    used = links.access_token_create(registration=participant)
    assert Client().post(f"/{SLUG}/me/link/{used}/").status_code == 302
    EditionFactory(slug="andere", status=EditionStatus.REGISTRATION_OPEN)
    cases = [
        (f"/{SLUG}/me/link/{tampered}/", "Deze link is niet geldig."),
        (f"/{SLUG}/me/link/not-a-token/", "Deze link is niet geldig."),
        (f"/{SLUG}/me/link/{expired}/", "Deze link is verlopen."),
        (f"/{SLUG}/me/link/{used}/", "Deze link is al gebruikt."),
        (f"/andere/me/link/{good}/", "Deze link is niet geldig."),
    ]
    for path, problem in cases:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 400, path
            assert text(response, "main") == (
                f"Deze link werkt niet {problem} Vraag hieronder een nieuwe aan. "
                "E-mailadres Stuur mij een nieuwe link"
            )
            assert "Pieter" not in response.content.decode()
            assert "pieter@example.org" not in response.content.decode()
    assert client.get(ME).url == NEW_LINK
    # The good link was never used by all this.
    assert client.post(f"/{SLUG}/me/link/{good}/").url == ME


def test_state_changes_are_post_only(
    edition: Edition, participant: Registration, client_for: Client
) -> None:
    assert client_for.put(f"{ME}cancel/").status_code == 405
    assert client_for.get(f"{ME}logout/").status_code == 405
    assert client_for.post(f"{ME}data.json").status_code == 405
    assert client_for.put(f"{ME}details/").status_code == 405
    assert client_for.delete(f"{ME}delete/").status_code == 405
    assert fresh(participant).status == "registered"


def test_state_changes_need_the_csrf_token(edition: Edition, participant: Registration) -> None:
    client = Client(enforce_csrf_checks=True)
    path = f"/{SLUG}/me/link/{links.access_token_create(registration=participant)}/"
    assert client.post(path).status_code == 403  # even the link's button
    client.get(path)
    token = client.cookies["csrftoken"].value
    assert client.post(path, {"csrfmiddlewaretoken": token}).url == ME
    token = client.cookies["csrftoken"].value
    for action, data in [
        ("cancel/", {}),
        ("delete/", {}),
        ("details/", details_form(name="X")),
        ("workshops/", {"round1-1": topic("Terugkeer").pk}),
        ("rounds/", {}),
    ]:
        assert client.post(f"{ME}{action}", data).status_code == 403, action
    saved = fresh(participant)
    assert (saved.name, saved.status, ranked_titles(saved), saved.absent_rounds.count()) == (
        "Pieter de Vries",
        "registered",
        [],
        0,
    )
    response = client.post(f"{ME}cancel/", {"csrfmiddlewaretoken": token})
    assert response.url == ME
    assert fresh(participant).status == "cancelled"


def text_of_h1(response: Any) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert found is not None
    return re.sub(r"\s+", " ", found.group(1)).strip()
