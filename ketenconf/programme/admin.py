from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from ketenconf.events import permissions
from ketenconf.events.admin_access import OrganiserAdmin
from ketenconf.events.models import Room

from .models import Block, Host, Session, Topic


@admin.register(Block)
class BlockAdmin(OrganiserAdmin, TranslationAdmin):
    list_display = ("__str__", "edition", "kind", "start", "end")
    list_filter = ("edition", "kind")
    list_select_related = ("edition",)

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Block.objects.filter(edition__in=permissions.editions_editable_by(user=request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "edition":
            kwargs["queryset"] = permissions.editions_editable_by(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HostInline(TranslationTabularInline):
    model = Host
    extra = 1
    autocomplete_fields = ("organisation",)


class SessionFormSet(BaseInlineFormSet):
    """Sessions take their edition from the topic, so the rules can check block and room."""

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        form.instance.edition_id = self.instance.edition_id
        return form


class SessionInline(admin.TabularInline):
    model = Session
    formset = SessionFormSet
    extra = 1
    fields = ("block", "room", "capacity")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        topic = getattr(request, "_ketenconf_topic", None)
        if topic is not None and db_field.name == "block":
            kwargs["queryset"] = Block.objects.filter(edition_id=topic.edition_id)
        if topic is not None and db_field.name == "room":
            kwargs["queryset"] = Room.objects.filter(edition_id=topic.edition_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(OrganiserAdmin, TranslationAdmin):
    list_display = ("title", "edition", "kind", "theme")
    list_filter = ("edition", "kind")
    list_select_related = ("edition",)
    search_fields = ("title_nl", "title_en")
    inlines = [HostInline, SessionInline]

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.topics_editable_by(user=request.user)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        topic = super().get_object(request, object_id, from_field)
        request._ketenconf_topic = topic  # type: ignore[attr-defined]
        return topic

    def get_inlines(self, request: HttpRequest, obj: Topic | None) -> list[Any]:
        # Sessions need the topic's edition: they are added once the topic exists.
        return [HostInline, SessionInline] if obj is not None else [HostInline]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "edition":
            kwargs["queryset"] = permissions.editions_editable_by(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
