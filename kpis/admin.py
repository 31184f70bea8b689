from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CrimeRecord,
    ImportBatch,
    Kpi,
    KpiSnapshot,
    KpiStepChange,
    KpiTarget,
    OffenceCode,
    OutcomeType,
)


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "source", "pillar", "element", "polarity", "unit", "version")
    list_filter = ("source", "pillar", "element", "polarity")
    search_fields = ("slug", "name", "definition")
    filter_horizontal = ("assurance",)


@admin.register(OffenceCode)
class OffenceCodeAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "group")
    list_filter = ("group",)


@admin.register(OutcomeType)
class OutcomeTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "group", "role")
    list_filter = ("role",)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "kind",
        "force",
        "status",
        "rows_written",
        "uploaded_by",
        "created_at",
    )
    list_filter = ("status", "kind", "force")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(CrimeRecord)
class CrimeRecordAdmin(admin.ModelAdmin):
    list_display = ("crime_ref_hash", "force", "offence_code", "recorded_date", "outcome_type")
    list_filter = ("force", "offence_group", "outcome_type")
    readonly_fields = [f.name for f in CrimeRecord._meta.fields]


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ("kpi", "force", "period", "offence_group", "value", "status", "computed_at")
    list_filter = ("kpi", "force", "period", "offence_group")
    readonly_fields = [f.name for f in KpiSnapshot._meta.fields]


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("kpi", "force", "value", "effective_from", "set_by", "set_at")
    list_filter = ("kpi", "force")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(KpiStepChange)
class KpiStepChangeAdmin(SimpleHistoryAdmin):
    list_display = ("kpi", "force", "offence_group", "period", "marked_by", "marked_at")
    list_filter = ("kpi", "force")
    readonly_fields = ("marked_by", "marked_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.marked_by = request.user
        super().save_model(request, obj, form, change)
