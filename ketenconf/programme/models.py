"""The programme of an edition: blocks of the day, topics, and sessions of a topic in a room."""

from __future__ import annotations

from typing import ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ketenconf.core.tenancy import edition_scoped
from ketenconf.events.models import Edition, Organisation, Room


class BlockKind(models.TextChoices):
    PLENARY = "plenary", _("plenary")
    ROUND = "round", _("workshop round")
    MARKET = "market", _("information market")
    BREAK = "break", _("break")
    NETWORKING = "networking", _("networking")
    CLOSING = "closing", _("closing")
    DRINKS = "drinks", _("drinks")


class Block(models.Model):
    """A slot of the day. A round block holds parallel sessions that participants choose between."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=BlockKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "start", "end"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="block_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_round(self) -> bool:
        return self.kind == BlockKind.ROUND

    def clean(self) -> None:
        from .rules import block_errors

        errors = block_errors(self)
        if errors:
            raise ValidationError(errors)


class SessionKind(models.TextChoices):
    KEYNOTE = "keynote", _("keynote")
    PANEL = "panel", _("panel")
    TALK_SHOW = "talk_show", _("talk show")
    WORKSHOP = "workshop", _("workshop")
    MINI_LECTURE = "mini_lecture", _("mini-lecture")
    SUB_SESSION = "sub_session", _("sub-session")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class Topic(models.Model):
    """What is on: a talk, a panel or a workshop. A workshop may run as sessions in several rounds."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="topics", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DUTCH
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["edition", "title"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class Host(models.Model):
    """A person who hosts, speaks at or chairs a topic, on behalf of an organisation."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="hosts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects: ClassVar[models.Manager[Self]] = edition_scoped("topic__edition")

    class Meta:
        ordering = ["topic", "order", "name"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One topic in one room during one block."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("edition")
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="sessions"
    )
    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.CASCADE, related_name="sessions"
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="sessions"
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty to use the room's capacity.")
    )

    objects: ClassVar[models.Manager[Self]] = edition_scoped()

    class Meta:
        ordering = ["block__start", "room__name"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["block", "room"],
                name="one_session_per_room_and_block",
                violation_error_message=_("This room already has a session in this block."),
            ),
            models.UniqueConstraint(
                fields=["block", "topic"],
                name="topic_once_per_block",
                violation_error_message=_("This topic already runs in this block."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.block}, {self.room})"

    @property
    def effective_capacity(self) -> int:
        return self.capacity if self.capacity is not None else self.room.capacity

    def clean(self) -> None:
        from .rules import session_errors

        errors = session_errors(self)
        if errors:
            raise ValidationError(errors)
