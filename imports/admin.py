from django.contrib import admin

from .models import ImportJob, ImportRow


class ImportRowInline(admin.TabularInline):
    model = ImportRow
    extra = 0
    can_delete = False
    fields = ["number", "action", "label", "errors"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "status", "total_rows", "error_count", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name"]
    exclude = ["content"]
    readonly_fields = [
        "kind",
        "file_name",
        "file_kind",
        "status",
        "only_good_rows",
        "total_rows",
        "processed_rows",
        "created_count",
        "updated_count",
        "skipped_count",
        "error_count",
        "message",
        "created_by",
        "created_at",
        "finished_at",
    ]
    inlines = [ImportRowInline]

    def has_add_permission(self, request):
        return False  # imports start from the upload page, through the checks
