from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from ketenconf.events import permissions
from ketenconf.events.admin_access import OrganiserAdmin
from ketenconf.events.models import Room

from . import services
from .models import Block, Host, Session, Topic

# Writes go through the programme's services, so the public programme's cache is renewed.
_SAVE: dict[type[Any], Callable[[Any], Any]] = {
    Block: lambda block: services.block_save(block=block),
    Topic: lambda topic: services.topic_save(topic=topic),
    Host: lambda host: services.host_save(host=host),
    Session: lambda session: services.session_save(session=session),
}
_DELETE: dict[type[Any], Callable[[Any], None]] = {
    Block: lambda block: services.block_delete(block=block),
    Topic: lambda topic: services.topic_delete(topic=topic),
    Host: lambda host: services.host_delete(host=host),
    Session: lambda session: services.session_delete(session=session),
}


def programme_formset_save(formset: BaseInlineFormSet) -> None:
    """Save an inline formset of blocks, hosts or sessions through the services (other models,
    such as an edition's rooms, are saved as Django would)."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        _DELETE.get(type(obj), lambda o: o.delete())(obj)
    for obj in instances:
        _SAVE.get(type(obj), lambda o: o.save())(obj)
    formset.save_m2m()


class ProgrammeWritesAdmin(admin.ModelAdmin):
    """An admin of a programme model that writes through the services."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        _SAVE[type(obj)](obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _DELETE[type(obj)](obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            _DELETE[type(obj)](obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        programme_formset_save(formset)


@admin.register(Block)
class BlockAdmin(ProgrammeWritesAdmin, OrganiserAdmin, TranslationAdmin):
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
class TopicAdmin(ProgrammeWritesAdmin, OrganiserAdmin, TranslationAdmin):
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
