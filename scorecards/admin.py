from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DigestPreference, KpiSnapshot, KpiTarget, RedFlag, RedFlagNote, WeeklyDigest


@admin.register(KpiTarget)
class KpiTargetAdmin(SimpleHistoryAdmin):
    """Admins set targets here: leave category and supplier empty for the default; history keeps every change."""

    list_display = ["kpi", "category", "supplier", "value", "updated_at"]
    list_filter = ["kpi", "category"]
    autocomplete_fields = ["supplier"]


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ["supplier", "kpi", "week_start", "value", "target", "met"]
    list_filter = ["kpi", "met"]
    raw_id_fields = ["supplier"]
    date_hierarchy = "week_start"


class RedFlagNoteInline(admin.TabularInline):
    model = RedFlagNote
    extra = 0
    raw_id_fields = ["author"]


@admin.register(RedFlag)
class RedFlagAdmin(admin.ModelAdmin):
    inlines = [RedFlagNoteInline]
    list_display = ["supplier", "rule", "period", "severity", "state", "owner", "raised_at"]
    list_filter = ["rule", "state", "severity", "escalated"]
    search_fields = ["supplier__name", "detail"]
    raw_id_fields = ["supplier", "owner", "acknowledged_by", "resolved_by"]


@admin.register(WeeklyDigest)
class WeeklyDigestAdmin(admin.ModelAdmin):
    """A digest stuck in 'sending' (its worker died) can be set back to 'pending' here to send it again."""

    list_display = ["manager", "iso_week", "state", "sent_at"]
    list_filter = ["state", "iso_week"]
    raw_id_fields = ["manager"]


admin.site.register(DigestPreference, raw_id_fields=["user", "owner"], filter_horizontal=["suppliers"])
