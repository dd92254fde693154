"""Back-office for what the call and the scheduler need beyond their own pages: room equipment."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from ketenconf.events import permissions
from ketenconf.events.admin_access import OrganiserAdmin
from ketenconf.events.models import Room

from .models import RoomEquipment


@admin.register(RoomEquipment)
class RoomEquipmentAdmin(OrganiserAdmin):
    """Which rooms lack a projector, for the scheduler's room features (no row: it has one)."""

    list_display = ("room", "room__edition", "projector")
    list_filter = ("room__edition", "projector")
    list_select_related = ("room__edition",)

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return RoomEquipment.objects.filter(
            room__edition__in=permissions.editions_editable_by(user=request.user)
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "room":
            kwargs["queryset"] = Room.objects.filter(
                edition__in=permissions.editions_editable_by(user=request.user)
            ).select_related("edition")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
