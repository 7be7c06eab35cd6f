"""Site administration of institutions, units and memberships (Django admin, for staff).

Changes made here go into the audit trail too, like every other change.
"""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import model_to_dict

from monev.audit.services import audit_record
from monev.institutions.models import Institution, Membership, Unit


class AuditedAdmin(admin.ModelAdmin):
    """Records every save and delete made through the admin as an audit event."""

    def _institution_id(self, obj) -> int | None:
        return obj.pk if isinstance(obj, Institution) else getattr(obj, "institution_id", None)

    def save_model(self, request, obj, form, change):
        before = model_to_dict(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"admin.{type(obj).__name__.lower()}.{'change' if change else 'add'}",
            obj=obj,
            institution_id=self._institution_id(obj),
            before=before,
            after=model_to_dict(obj),
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action=f"admin.{type(obj).__name__.lower()}.delete",
            obj=obj,
            institution_id=self._institution_id(obj),
            before=model_to_dict(obj),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "province", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "short_name", "institution"]
    list_filter = ["institution"]
    search_fields = ["code", "name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "institution", "role", "unit"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username", "user__full_name"]
    autocomplete_fields = ["user", "unit"]
