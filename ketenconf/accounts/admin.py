from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import SingleSignOnIdentity, User
from .services import second_factor_reset


@admin.action(description=_("Reset the second factor (the person sets up a new one)"))
def reset_second_factor(
    modeladmin: admin.ModelAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    """For someone who lost their phone, key and recovery codes; superusers only."""
    if not request.user.is_superuser:
        modeladmin.message_user(
            request, _("Only superusers reset a second factor."), messages.ERROR
        )
        return
    for user in queryset:
        removed = second_factor_reset(user=user, by=request.user)
        modeladmin.log_change(request, user, f"Second factor reset: {removed} removed")
    modeladmin.message_user(
        request,
        ngettext(
            "The second factor of %(count)d account is reset.",
            "The second factors of %(count)d accounts are reset.",
            queryset.count(),
        )
        % {"count": queryset.count()},
        messages.SUCCESS,
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "organisation", "is_staff", "is_superuser")
    list_filter = ("is_staff", "is_superuser", "organisation__kind")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    actions = [reset_second_factor]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation",)}),
    )


@admin.register(SingleSignOnIdentity)
class SingleSignOnIdentityAdmin(admin.ModelAdmin):
    list_display = ("subject", "issuer", "user", "created_at", "last_login_at")
    search_fields = ("subject", "user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("issuer", "subject", "created_at", "last_login_at")
