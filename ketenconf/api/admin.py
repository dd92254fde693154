"""API tokens in the admin: organisers make and revoke their own; administrators any.

A new token's secret is shown once, in the message after saving; only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ketenconf.accounts.models import User
from ketenconf.events.admin_access import OrganiserAdmin

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")


@admin.register(ApiToken)
class ApiTokenAdmin(OrganiserAdmin):
    form = ApiTokenForm
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def editable_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return ApiToken.objects.filter(user_id=getattr(request.user, "pk", None) or 0)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ("user", "name") if request.user.is_superuser else ("name",)
        return ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ()
        return ("user", "prefix", "created_at", "last_used_at", "revoked_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked tokens stay listed, with when they were last used

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        user = obj.user if request.user.is_superuser and obj.user_id else request.user
        assert isinstance(user, User)  # the admin lets in no one without an account
        token, text = services.api_token_create(user=user, name=obj.name)
        obj.pk = token.pk
        obj.prefix = token.prefix
        obj.secret_hash = token.secret_hash
        obj.created_at = token.created_at
        obj._state.adding = False
        obj._state.db = "default"
        self.message_user(
            request,
            gettext("Copy this token now: it is not shown again. %(token)s") % {"token": text},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke (stops working at once)"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
