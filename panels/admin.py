from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, CaseReview, LearningTheme, Meeting, Panel, PanelMember


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "force"]
    list_filter = ["force"]
    search_fields = ["name"]
    inlines = [PanelMemberInline]


@admin.register(LearningTheme)
class LearningThemeAdmin(SimpleHistoryAdmin):
    """The taxonomy: administrators add themes here; retire one by unticking 'active'."""

    list_display = ["name", "pillar", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active", "pillar"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["panel", "date", "status"]
    list_filter = ["status", "panel__force"]
    date_hierarchy = "date"
    readonly_fields = ["finalised_at", "finalised_by", "created_by"]


@admin.register(CaseReview)
class CaseReviewAdmin(SimpleHistoryAdmin):
    list_display = ["label", "meeting", "selection", "judgement", "referred_back"]
    list_filter = ["selection", "judgement", "meeting__panel__force"]
    readonly_fields = ["crime_ref_hash", "crime_record"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "due_date", "status", "pillar"]
    list_filter = ["status", "pillar", "meeting__panel__force"]
    search_fields = ["title"]
