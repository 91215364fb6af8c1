"""Admin registration of the partnership ledger (each record kind registers in its own block)."""

from django.contrib import admin

from .models import CommunityProgramme, IdeaComment, ImprovementIdea, Training

# --- Improvement ideas, training and community programmes -------------------------------------------------------


class IdeaCommentInline(admin.TabularInline):
    model = IdeaComment
    extra = 0
    readonly_fields = ["author", "body", "created_at"]


@admin.register(ImprovementIdea)
class ImprovementIdeaAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "supplier",
        "kind",
        "status",
        "raised_side",
        "credited_to",
        "realised_saving",
        "currency",
    ]
    list_filter = ["status", "kind", "raised_side"]
    search_fields = ["title", "supplier__name", "sku"]
    list_select_related = ["supplier"]
    raw_id_fields = ["order"]
    readonly_fields = ["supplier", "raised_by", "raised_side", "raised_at", "decided_by", "updated_at"]
    inlines = [IdeaCommentInline]

    def has_add_permission(self, request):
        return False  # proposed on the staff page, the portal or the API (idea_propose tells the other side)


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["topic", "supplier", "held_on", "status", "attendee_count", "given_by"]
    list_filter = ["status"]
    search_fields = ["topic", "supplier__name"]
    list_select_related = ["supplier", "given_by"]
    readonly_fields = ["accepted_by", "accepted_at", "created_at"]


@admin.register(CommunityProgramme)
class CommunityProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "supplier", "starts_on", "ends_on"]
    search_fields = ["name", "supplier__name"]
    list_select_related = ["supplier"]
    readonly_fields = ["recorded_by", "created_at"]
