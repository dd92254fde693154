"""What the organisers' API takes and gives, as OpenAPI sees it. Each endpoint has its own
shapes; none is a model dumped whole."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from .schemas import RegistrationIn

MAX_ID = 2**63 - 1


class EditionOut(Schema):
    id: int
    slug: str
    title: str
    start_date: date
    end_date: date
    status: str
    capacity: int
    seats_taken: int
    lead_organisation: str


class BlockOut(Schema):
    id: int
    kind: str
    title: str
    start: datetime
    end: datetime


class HostOut(Schema):
    name: str
    organisation: str | None


class SessionOut(Schema):
    id: int
    topic_id: int
    title: str
    kind: str
    block_id: int
    start: datetime
    end: datetime
    room: str
    capacity: int = Field(description="The session's own capacity, else the room's.")
    hosts: list[HostOut]
    editable: bool = Field(description="Whether this token's user may change the topic.")


class RegistrationDetailOut(Schema):
    id: int
    name: str
    email: str
    organisation: str
    job_title: str
    status: Literal["registered", "waitlisted", "cancelled", "released"]
    waitlist_position: int | None
    language: Literal["nl", "en"]
    needs_step_free: bool
    networking_consent: bool
    created_at: datetime
    confirmed_at: datetime | None
    answers: dict[str, Any] = Field(
        description="Answers to the edition's registration questions, by question key."
    )


class OrganiserRegistrationIn(RegistrationIn):
    notify: bool = Field(True, description="Mail the participant the usual confirmation and link.")
    confirmed: bool = Field(
        False, description="The address is known to be right: no confirmation is asked for."
    )


class StatusIn(Schema):
    status: Literal["registered", "waitlisted", "cancelled"]


class StatusOut(Schema):
    registration: RegistrationDetailOut
    promoted: list[int] = Field(description="Registrations that got a seat from the waiting list.")


class PreferenceOut(Schema):
    registration_id: int
    topic_id: int
    topic: str
    rank: int


class PreferencesIn(Schema):
    topic_ids: list[int] = Field(max_length=100, description="Workshop topics, first choice first.")


class RunIn(Schema):
    time_limit: int = Field(60, ge=1, le=3600, description="Seconds the engine may take.")
    seed: int = Field(0, ge=0, le=2**31 - 1)
    max_organisation_share: float | None = Field(
        None, ge=0.01, le=1, description="Largest share of one organisation in a session."
    )
    background: bool | None = Field(
        None, description="Solve in the worker; by default only for large editions."
    )


class RunOut(Schema):
    id: int
    status: Literal["queued", "running", "done", "failed"]
    progress: str
    participant_count: int
    created_at: datetime
    finished_at: datetime | None
    published_at: datetime | None
    objective: int | None
    lower_bound: int | None


class RankCount(Schema):
    label: str
    count: int
    percent: float


class RunMetrics(Schema):
    participants: int
    seats_given: int
    participant_rounds: int
    first_choice: int
    with_preferences: int
    first_choice_percent: float
    worst_rank: int | None
    gap_percent: float | None
    moved: int | None
    ranks: list[RankCount]


class RunDetailOut(RunOut):
    problems: list[dict[str, str]]
    error: str
    metrics: RunMetrics | None = Field(description="The run's figures, once it is done.")


class AssignmentOut(Schema):
    registration_id: int
    name: str
    organisation: str
    block_id: int
    round: str
    session_id: int
    session: str
    room: str
    rank: int | None = Field(
        description="The place of this topic in the choices; null: not chosen."
    )


class CheckInIn(Schema):
    registration_id: int = Field(ge=1, le=MAX_ID)
    door: str = Field(max_length=40, description="The door's name, as on the door page.")
    nonce: str = Field(
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="This check-in's own number: sent again, it changes nothing.",
    )


class CheckInOut(Schema):
    outcome: str = Field(
        description="welcome, repeated (this nonce again), already, cancelled, waitlisted, ..."
    )
    ok: bool
    message: str
    note: str = Field(description="For a late arrival: the later sessions with seats left.")
    registration_id: int
    checked_in_at: datetime | None


class ReofferIn(Schema):
    before_round: int = Field(
        ge=1, le=100, description="Re-offer this workshop round and the later ones (from 1)."
    )
    dry_run: bool = Field(False, description="Only the figures: nothing is published.")


class ReofferRoundOut(Schema):
    round: int = Field(description="The round's block id.")
    label: str
    freed: int
    refilled: int
    upgrades: int
    ranks_gained: int
    walk_ins: int
    empty: int


class ReofferTotalOut(Schema):
    freed: int
    refilled: int
    upgrades: int
    ranks_gained: int
    walk_ins: int
    empty: int


class ReofferOut(Schema):
    id: int
    before_round: int
    dry_run: bool
    status: Literal["preview", "published", "nothing"]
    message: str
    run_id: int | None = Field(description="The new published run, when not a dry run.")
    moved: int = Field(description="Participants who move (walk-ins seated included).")
    worse_off: int
    kept_in_place: int = Field(description="Left in their seats: checked in meanwhile.")
    mailed: int
    seconds: float
    rounds: list[ReofferRoundOut]
    total: ReofferTotalOut
