from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import transaction

from monev.accounts.models import SsoIdentity, User


class MonevUserChangeForm(UserChangeForm):
    def clean(self):
        from monev.accounts.services import evaluator_scope_problem

        data = super().clean()
        scope = data.get("evaluator_scope", "")
        province = (data.get("evaluator_province") or "").strip()
        if problem := evaluator_scope_problem(scope, province):
            self.add_error("evaluator_province", problem)
        return data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = MonevUserChangeForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            "Monev SPBE",
            {"fields": ("full_name", "evaluator_scope", "evaluator_province")},
        ),
    )
    list_filter = [*DjangoUserAdmin.list_filter, "evaluator_scope"]

    def save_model(self, request, obj, form, change):
        """The evaluator scope goes through its service (validation, audit event)."""
        from monev.accounts.services import evaluator_scope_set

        scope, province = obj.evaluator_scope, obj.evaluator_province
        stored = (
            User.objects.filter(pk=obj.pk)
            .values_list("evaluator_scope", "evaluator_province")
            .first()
            if obj.pk
            else None
        )
        obj.evaluator_scope, obj.evaluator_province = stored or ("", "")
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            saved = evaluator_scope_set(
                request.user, user_id=obj.pk, scope=scope, province=province
            )
        obj.evaluator_scope, obj.evaluator_province = (
            saved.evaluator_scope,
            saved.evaluator_province,
        )

    list_display = [
        "username",
        "full_name",
        "email",
        "evaluator_scope",
        "is_active",
        "is_staff",
    ]
    search_fields = ["username", "full_name", "email"]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    """Deleting an identity unlinks the account: the next SSO sign-in creates a new user."""

    list_display = ["user", "issuer", "subject", "created_at", "last_login_at"]
    search_fields = ["user__username", "user__full_name", "subject"]
    list_select_related = ["user"]
    readonly_fields = ["user", "issuer", "subject", "created_at", "last_login_at"]
