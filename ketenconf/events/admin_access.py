"""Admin access by organisation rather than by Django's per-model permissions.

Organisers are staff users tied to an organisation; what they may see and change follows
the rules in :mod:`ketenconf.events.permissions`, so the admin, the API and the pages agree.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest


def is_organiser(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(
        user.is_active and user.is_staff and (user.is_superuser or user.organisation_id is not None)
    )


class OrganiserAdmin(admin.ModelAdmin):
    """Base for models organisers edit: subclasses say which rows a user may edit."""

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        if request.user.is_superuser:
            return super().get_queryset(request)
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=self.editable_queryset(request).values("pk"))
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_organiser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_organiser(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if not is_organiser(request):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return self.editable_queryset(request).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)


class SharedDataAdmin(admin.ModelAdmin):
    """Data every organiser reads and adds to (organisations, venues); superusers change it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_organiser(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_organiser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_organiser(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
