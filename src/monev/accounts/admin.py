from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from monev.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Monev SPBE", {"fields": ("full_name",)}),
    )
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
