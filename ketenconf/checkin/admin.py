"""Door staff in the back-office: organisers name who checks people in for their editions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from ketenconf.events.admin_access import OrganiserAdmin
from ketenconf.events.permissions import editions_editable_by

from .models import DoorStaff


@admin.register(DoorStaff)
class DoorStaffAdmin(OrganiserAdmin):
    list_display = ("user", "edition")
    list_filter = (("edition", admin.RelatedOnlyFieldListFilter),)
    fields = ("edition", "user")

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return DoorStaff.objects.filter(edition__in=editions_editable_by(user=request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "edition":
            kwargs["queryset"] = editions_editable_by(user=request.user)
        if db_field.name == "user":
            # Door staff log in through the admin's login, which only staff accounts pass.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
