"""The synthetic crowd and its preferences: deterministic, realistic in mix, valid for the engine."""

from collections import Counter
from statistics import median

import pytest

from ketenconf.demo.editions import EDITIONS
from ketenconf.demo.organisations import BY_SHORT_NAME, ORGANISATIONS
from ketenconf.demo.participants import (
    PreferenceTopic,
    edition_preference_topics,
    generate_participants,
    generate_preferences,
)

SEEDS = range(5)


def test_the_same_seed_gives_the_same_people_and_another_seed_other_people():
    first = generate_participants(count=300, seed=7)
    assert generate_participants(count=300, seed=7) == first
    other = generate_participants(count=300, seed=8)
    assert other != first
    assert len({p.email for p in first} & {p.email for p in other}) < 100


@pytest.mark.parametrize("seed", SEEDS)
def test_emails_are_unique_and_in_the_organisations_example_domain(seed):
    people = generate_participants(count=2000, seed=seed)
    assert len({p.email.lower() for p in people}) == 2000
    for person in people:
        local, domain = person.email.split("@")
        assert domain == BY_SHORT_NAME[person.organisation].domain
        assert domain.endswith(".example")
        assert local.isascii()
        assert " " not in local


@pytest.mark.parametrize("seed", SEEDS)
def test_the_mix_of_organisation_kinds_is_that_of_a_chain_conference(seed):
    people = generate_participants(seed=seed)
    assert len(people) == 600
    share = {kind: n / 600 for kind, n in Counter(p.organisation_kind for p in people).items()}
    assert 0.35 <= share["national_agency"] <= 0.55
    assert 0.12 <= share["municipality"] <= 0.28
    for kind in ("ministry", "police", "ngo", "civil_society", "knowledge_institute"):
        assert 0.005 <= share[kind] < share["municipality"], kind
    assert share.get("business", 0) <= 0.05


@pytest.mark.parametrize("seed", SEEDS)
def test_the_kleine_keten_is_large_and_organisation_sizes_are_heavy_tailed(seed):
    per_organisation = Counter(p.organisation for p in generate_participants(seed=seed))
    kleine_keten = sum(per_organisation[name] for name in ("IND", "COA", "DT&V"))
    assert kleine_keten >= 0.2 * 600
    largest = per_organisation.most_common(1)[0][1]
    assert largest >= 5 * median(per_organisation.values())
    assert len(per_organisation) >= 35


@pytest.mark.parametrize("seed", SEEDS)
def test_language_diet_step_free_and_consent_shares(seed):
    people = generate_participants(count=1000, seed=seed)

    def share(test):
        return sum(1 for p in people if test(p)) / len(people)

    assert {p.language for p in people} == {"nl", "en"}
    assert 0.85 <= share(lambda p: p.language == "nl") <= 0.95
    assert 0.65 <= share(lambda p: p.dietary_needs == "") <= 0.90
    assert 0.02 <= share(lambda p: p.needs_step_free) <= 0.08
    assert 0.62 <= share(lambda p: p.networking_consent) <= 0.78


def test_dutch_names_have_tussenvoegsels():
    people = generate_participants(seed=0)
    family_names = {p.family_name for p in people}
    assert any(name.startswith("van der ") for name in family_names)
    assert any(name.startswith("de ") for name in family_names)
    assert all(p.name == f"{p.given_name} {p.family_name}" for p in people)


def test_only_the_given_organisations_take_part():
    municipalities = [o for o in ORGANISATIONS if o.kind == "municipality"]
    people = generate_participants(count=100, organisations=municipalities, seed=1)
    assert {p.organisation_kind for p in people} == {"municipality"}


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="organisations is empty"):
        generate_participants(organisations=[], seed=0)
    with pytest.raises(ValueError, match="count must be 0 or more"):
        generate_participants(count=-1, seed=0)
    with pytest.raises(ValueError, match="topic keys must be unique"):
        generate_preferences([], [PreferenceTopic("a"), PreferenceTopic("a")], ["r1"], seed=0)


@pytest.mark.parametrize("spec", EDITIONS, ids=lambda spec: spec.slug)
def test_preferences_rank_the_rounds_topics_with_skewed_popularity(spec):
    topics, rounds = edition_preference_topics(spec)
    keys = {t.key for t in topics}
    people = generate_participants(seed=3)
    preferences = generate_preferences(people, topics, rounds, seed=3)

    assert preferences == generate_preferences(people, topics, rounds, seed=3)
    assert preferences != generate_preferences(people, topics, rounds, seed=4)
    assert [p.email for p in preferences] == [p.email for p in people]
    for preference in preferences:
        assert 3 <= len(preference.ranking) <= 6
        assert len(set(preference.ranking)) == len(preference.ranking)
        assert set(preference.ranking) <= keys
        if preference.rounds is not None:
            assert len(preference.rounds) == len(rounds) - 1
            assert set(preference.rounds) < set(rounds)
    skipping = sum(1 for p in preferences if p.rounds is not None)
    assert 0.05 * 600 <= skipping <= 0.20 * 600

    first_choices = Counter(p.ranking[0] for p in preferences)
    counts = [first_choices[key] for key in keys]
    assert max(counts) >= 4 * median(counts)


def test_participants_favour_topics_on_their_own_chain_links():
    topics = [PreferenceTopic(f"return-{n}", ("return",)) for n in range(5)] + [
        PreferenceTopic(f"housing-{n}", ("housing",)) for n in range(5)
    ]
    dtv = [p for p in generate_participants(count=3000, seed=2) if p.organisation == "DT&V"]
    assert len(dtv) >= 50
    preferences = generate_preferences(dtv, topics, ["r1", "r2"], seed=2, zipf_exponent=0.0)
    on_return = sum(1 for p in preferences if p.ranking[0].startswith("return-"))
    assert on_return >= 0.65 * len(preferences)
