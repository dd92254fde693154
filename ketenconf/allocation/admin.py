"""The assignment in the admin: a link on the admin index to the organisers' assignment pages.

The pages themselves (``allocation.organise``) are our own, accessible templates; the admin
only lists "Assignment runs", which opens the editions the organiser may assign, and the
edition's change page links to its assignment page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from ketenconf.events.admin_access import is_organiser

from .models import AssignmentRun


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_organiser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_organiser(request) and obj is None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return redirect("workspace:editions")
