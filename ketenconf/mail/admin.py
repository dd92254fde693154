from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The outbox, for superusers to read: what went out, what is waiting, what failed and why."""

    list_display = ("created_at", "to", "subject", "topic", "language", "status", "attempts")
    list_filter = ("status", "language", "topic")
    search_fields = ("to", "subject", "message_id")
    date_hierarchy = "created_at"
    list_select_related = ("edition",)
    fields = (
        "created_at",
        "to",
        "from_email",
        "subject",
        "language",
        "topic",
        "edition",
        "message_id",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
        "body_text",
        "body_html",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.fields or ()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
