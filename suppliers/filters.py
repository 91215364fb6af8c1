"""Supplier list filters, shared by the staff list page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.widgets import Select, SelectMultiple

from .models import Certification, ProductCategory, Segment, Stage, Supplier

SUPPLIER_ORDERING = (
    ("name", "name"),
    ("country", "country"),
    ("stage", "stage"),
    ("segment", "segment"),
    ("owner__full_name", "owner"),
    ("next_cert_expiry", "next_cert_expiry"),
    ("updated_at", "updated"),
)


class SupplierFilter(django_filters.FilterSet):
    """Search by name, number, city or contact; filter by stage, country, segment, category and owner."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    # The list page renders these selects in Python (core/widgets.py): the country list alone has 250 options.
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label=_("Stage"), widget=SelectMultiple
    )
    country = django_filters.ChoiceFilter(choices=lambda: list(countries), label=_("Country"), widget=Select)
    segment = django_filters.ChoiceFilter(choices=Segment.choices, label=_("Segment"), widget=Select)
    category = django_filters.ModelChoiceFilter(
        field_name="categories", queryset=ProductCategory.objects.all(), label=_("Category"), widget=Select
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True), label=_("Owner"), widget=Select
    )
    ordering = django_filters.OrderingFilter(fields=SUPPLIER_ORDERING, label=_("Sort by"))

    class Meta:
        model = Supplier
        fields = ["q", "stage", "country", "segment", "category", "owner"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(legal_name__icontains=value)
            | Q(registration_number__icontains=value)
            | Q(city__icontains=value)
            | Q(
                pk__in=Supplier.contacts.rel.related_model.objects.filter(name__icontains=value).values(
                    "supplier_id"
                )
            )
        )


class CertificationFilter(django_filters.FilterSet):
    """Filter certifications by supplier, standard, status and expiry."""

    expires_before = django_filters.DateFilter(field_name="valid_until", lookup_expr="lte")

    class Meta:
        model = Certification
        fields = ["supplier", "standard", "status", "expires_before"]
