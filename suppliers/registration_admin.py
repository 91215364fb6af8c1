"""Admin pages of factory registrations and bank details: read only (the services write them), account numbers
masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    BankAccount,
    BankDetailsChange,
    Registration,
    RegistrationCapacity,
    RegistrationCertificate,
    RegistrationEmail,
    RegistrationReference,
    RegistrationSite,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reading only: every write goes through the services, which check, record and notify."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SiteInline(ReadOnlyInline):
    model = RegistrationSite


class CapacityInline(ReadOnlyInline):
    model = RegistrationCapacity


class CertificateInline(ReadOnlyInline):
    model = RegistrationCertificate


class ReferenceInline(ReadOnlyInline):
    model = RegistrationReference


class EmailInline(ReadOnlyInline):
    model = RegistrationEmail
    fields = ["kind", "created_at", "sent_at", "attempts", "last_error"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["company_name", "email", "status", "expires_at", "invited_by", "submitted_at", "supplier"]
    list_filter = ["status", "language"]
    search_fields = ["company_name", "email", "legal_name", "registration_number"]
    exclude = ["bank_account_number", "nonce", "token_hash"]
    readonly_fields = ["bank_account_masked"]
    inlines = [SiteInline, CapacityInline, CertificateInline, ReferenceInline, EmailInline]

    @admin.display(description=_("account number or IBAN"))
    def bank_account_masked(self, obj):
        return obj.bank_account_masked


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "bank_name", "account_masked", "currency", "updated_at"]
    search_fields = ["supplier__name", "bank_name"]
    exclude = ["account_number"]
    readonly_fields = ["account_masked"]


@admin.register(BankDetailsChange)
class BankDetailsChangeAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "bank_name", "account_masked", "status", "requested_by", "requested_at"]
    list_filter = ["status"]
    search_fields = ["supplier__name", "bank_name"]
    exclude = ["account_number"]
    readonly_fields = ["account_masked"]
