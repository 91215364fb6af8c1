"""Admin registration of the partnership ledger (each record kind registers in its own block)."""

from django.contrib import admin

from .models import (
    Announcement,
    AnnouncementRead,
    AnnouncementRecipient,
    CommunityProgramme,
    IdeaComment,
    ImprovementIdea,
    InvitationMessage,
    InvitationSpecFile,
    Invitee,
    ProductInvitation,
    Sample,
    Training,
)

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


# --- Announcements ------------------------------------------------------------------------------------------


class AnnouncementRecipientInline(admin.TabularInline):
    model = AnnouncementRecipient
    extra = 0
    readonly_fields = ["supplier"]
    can_delete = False


class AnnouncementReadInline(admin.TabularInline):
    model = AnnouncementRead
    extra = 0
    readonly_fields = ["supplier", "user", "read_at"]
    can_delete = False  # a receipt is what the factory did: it stays


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "audience", "published_at", "published_by", "withdrawn_at"]
    list_filter = ["kind", "audience"]
    search_fields = ["title"]
    list_select_related = ["published_by"]
    readonly_fields = ["audience", "category", "published_by", "published_at", "withdrawn_at", "withdrawn_by"]
    inlines = [AnnouncementRecipientInline, AnnouncementReadInline]

    def has_add_permission(self, request):
        return (
            False  # published through the staff page or the API (announcement_publish notifies the audience)
        )


# --- New-product invitations ------------------------------------------------------------------------------------


class InvitationSpecFileInline(admin.TabularInline):
    model = InvitationSpecFile
    extra = 0
    readonly_fields = ["file", "label", "uploaded_by", "uploaded_at"]
    can_delete = False


class InviteeInline(admin.TabularInline):
    model = Invitee
    extra = 0
    readonly_fields = ["supplier", "status", "reason", "answered_by", "answered_at"]
    can_delete = False


@admin.register(ProductInvitation)
class ProductInvitationAdmin(admin.ModelAdmin):
    list_display = ["title", "respond_by", "created_by", "created_at", "withdrawn_at"]
    search_fields = ["title"]
    list_select_related = ["created_by"]
    readonly_fields = ["created_by", "created_at", "withdrawn_at"]
    inlines = [InviteeInline, InvitationSpecFileInline]

    def has_add_permission(self, request):
        return False  # sent through the staff page or the API (invitation_create checks files and notifies)


class InvitationMessageInline(admin.TabularInline):
    model = InvitationMessage
    extra = 0
    readonly_fields = ["author", "from_factory", "text", "created_at"]
    can_delete = False


class SampleInline(admin.TabularInline):
    model = Sample
    extra = 0
    readonly_fields = ["sent_on", "quantity", "tracking", "note", "result", "evaluation_note", "evaluated_by"]
    can_delete = False


@admin.register(Invitee)
class InviteeAdmin(admin.ModelAdmin):
    list_display = ["invitation", "supplier", "status", "answered_at"]
    list_filter = ["status"]
    search_fields = ["invitation__title", "supplier__name"]
    list_select_related = ["invitation", "supplier"]
    readonly_fields = ["invitation", "supplier", "answered_by", "answered_at"]
    inlines = [InvitationMessageInline, SampleInline]

    def has_add_permission(self, request):
        return False
