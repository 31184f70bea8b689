from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    Evidence,
    Inspection,
    Link,
    ProgressUpdate,
    Recommendation,
    Response,
    ResponseRecord,
)


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ["number", "order", "addressee", "deadline", "addressee_detail"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "inspectorate", "published", "force"]
    list_filter = ["inspectorate", "force"]
    search_fields = ["title"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "inspection", "addressee", "deadline"]
    list_filter = ["inspection", "addressee"]


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "rag", "owner", "planned_closedown"]
    list_filter = ["force", "status", "rag"]
    raw_id_fields = ["owner", "signed_off_by"]
    # Completion is a sign-off by a named chief officer, made in the app, not here.
    readonly_fields = ["signed_off_by", "signed_off_at", "sign_off_note"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "response", "owner", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["owner", "completed_by"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["response", "date", "author"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "update", "uploaded_by", "uploaded_at"]


@admin.register(Link)
class LinkAdmin(SimpleHistoryAdmin):
    list_display = ["response", "content_type", "object_id"]


@admin.register(ResponseRecord)
class ResponseRecordAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "version", "state", "approved_by", "published_at"]
    list_filter = ["state", "force"]
    # Approval and publication are made in the app, by named people, not here.
    readonly_fields = [
        "version",
        "state",
        "approved_by",
        "approved_at",
        "approved_content",
        "snapshot",
        "published_at",
        "published_by",
    ]
