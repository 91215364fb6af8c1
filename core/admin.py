from django.contrib import admin

from .models import PeriodRun, TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    """Each periodic task's last start, success and failure (read-only: the workers write it)."""

    list_display = ["task", "last_started_at", "last_succeeded_at", "last_failed_at", "worker"]
    readonly_fields = [
        "task",
        "last_started_at",
        "last_succeeded_at",
        "last_failed_at",
        "last_error",
        "worker",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(PeriodRun)
class PeriodRunAdmin(admin.ModelAdmin):
    """Which period each daily or weekly job has finished; delete a row to have the next hourly tick redo it."""

    list_display = ["job", "period", "finished_at", "result"]
    list_filter = ["job"]
    readonly_fields = ["job", "period", "finished_at", "result"]

    def has_add_permission(self, request):
        return False
