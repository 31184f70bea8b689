from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import (
    AssuranceMechanism,
    Force,
    ForceAlias,
    FrameworkElement,
    Membership,
    Objective,
    Pillar,
)


class ForceAliasInline(admin.TabularInline):
    model = ForceAlias
    extra = 0


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ("name", "full_name", "slug", "region", "commissioner_title")
    list_filter = ("region",)
    search_fields = ("name", "full_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ForceAliasInline]


@admin.register(ForceAlias)
class ForceAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "force")
    search_fields = ("alias",)


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "slug")


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


class AssuranceInline(admin.TabularInline):
    model = AssuranceMechanism
    extra = 0


@admin.register(FrameworkElement)
class FrameworkElementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "number", "order")
    list_filter = ("kind",)
    inlines = [ObjectiveInline, AssuranceInline]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("text", "element")
    list_filter = ("element",)


@admin.register(AssuranceMechanism)
class AssuranceMechanismAdmin(admin.ModelAdmin):
    list_display = ("text", "element")
    list_filter = ("element",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "force", "role")
    list_filter = ("role", "force")
    search_fields = ("user__username", "user__email")
    filter_horizontal = ("pillars",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    filter_horizontal = ("pillars",)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SoteriaUserAdmin(UserAdmin):
    inlines = [MembershipInline]


admin.site.site_header = "Soteria flight deck administration"
admin.site.site_title = "Soteria flight deck"
