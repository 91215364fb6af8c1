"""What every API endpoint shares so that a factory contact sees nothing the portal would not show them.

- Choices: every model choice a filter form or a serializer field offers (and accepts) comes from
  `visible_to(request.user)`, so another supplier's object is neither listed nor accepted, exactly as a missing
  one. `VisibleChoicesFilterBackend` does it for every filterset, `ScopedSerializerMixin` for every related
  field of every serializer; tests/test_api_scoping.py fails on a viewset or serializer that bypasses either.
- Staff-only fields: a serializer names them in `staff_only_fields`; they are left out of what anyone but
  staff reads (the schema documents the staff shape).
- The browsable HTML API is offered to staff only: everyone else gets JSON, whatever they ask for.
"""

from django.db.models import Manager
from django.utils.functional import cached_property
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer


def is_staff(user) -> bool:
    """Return whether a user is an active member of the buying company's staff (who may see every supplier)."""
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "is_staff_member", False))


def _portal_supplier_id(user) -> int | None:
    if user and user.is_authenticated and user.is_active and getattr(user, "is_portal_user", False):
        return user.supplier_id
    return None


def _users_visible_to(queryset, user):
    """Staff choose among all users; a factory contact only among the buyer's people named on its own supplier
    (the portal home page shows them)."""
    if is_staff(user):
        return queryset
    supplier_id = _portal_supplier_id(user)
    if supplier_id is None:
        return queryset.none()
    supplier = user.supplier
    named = [pk for pk in (supplier.owner_id, supplier.project_manager_id, supplier.qc_lead_id) if pk]
    return queryset.filter(pk__in=named)


def _categories_visible_to(queryset, user):
    """Staff choose among all product categories; a factory contact among its own supplier's."""
    if is_staff(user):
        return queryset
    supplier_id = _portal_supplier_id(user)
    if supplier_id is None:
        return queryset.none()
    return queryset.filter(suppliers=supplier_id)


# Models without a `visible_to` of their own that an API choice may still name. Any other model without
# `visible_to` offers no choice to anyone but staff (and the scoping test asks for an entry here).
CHOICE_SCOPES = {
    "accounts.User": _users_visible_to,
    "suppliers.ProductCategory": _categories_visible_to,
}


def visible_choices(queryset, user):
    """Narrow a queryset of choices to the rows a user may see; no rows for a user we cannot place."""
    if isinstance(queryset, Manager):
        queryset = queryset.all()
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    scope = CHOICE_SCOPES.get(queryset.model._meta.label)
    if scope is not None:
        return scope(queryset, user)
    return queryset if is_staff(user) else queryset.none()


def scope_filterset(filterset, user) -> None:
    """Narrow every model choice of a filterset (declared or generated from `filterset_fields`) to `user`."""
    for filter_ in filterset.filters.values():
        if isinstance(filter_, QuerySetRequestMixin):
            queryset = filter_.get_queryset(filterset.request)
            if queryset is not None:
                filter_.queryset = visible_choices(queryset, user)
                filter_.__dict__.pop("_field", None)  # a form field built earlier would keep the old choices


class VisibleChoicesFilterBackend(DjangoFilterBackend):
    """django-filter's backend whose filter forms list, and whose filters accept, only visible objects."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            scope_filterset(filterset, getattr(request, "user", None))
        return filterset


# Offer and accept in related fields only the objects the reader may see; show staff-only fields to staff only.
# The related fields are narrowed once all fields are built (after any `get_fields` of a subclass), so a field
# that a subclass declares with `Model.objects.all()` is narrowed too. Without a request (a serializer used
# outside a view) the choices are empty and the staff-only fields are left out.
# (These three classes have comments, not docstrings: drf-spectacular would show a base class's docstring as
# the description of every serializer in the schema.)
class ScopedSerializerMixin:
    # Fields that hold staff-only information (internal notes, triage, staff workflow): left out of what a
    # factory contact reads; a writable one can still be written (e.g. the notes on a factory's invoice).
    staff_only_fields: tuple[str, ...] = ()

    @cached_property
    def fields(self):
        fields = super().fields
        user = self._reader()
        for field in fields.values():
            if field.read_only:
                continue
            related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if isinstance(related, serializers.RelatedField) and related.queryset is not None:
                related.queryset = visible_choices(related.queryset, user)
        return fields

    def _reader(self):
        return getattr(self.context.get("request"), "user", None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.staff_only_fields and not is_staff(self._reader()):
            for name in self.staff_only_fields:
                data.pop(name, None)
        return data


class ScopedSerializer(ScopedSerializerMixin, serializers.Serializer):
    pass  # the base of every plain serializer of the API


class ScopedModelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    pass  # the base of every model serializer of the API


class StaffBrowsableContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that only staff get the browsable HTML API (its forms and filter forms);
    anyone else asking for it (`?format=api`, `Accept: text/html`) gets the JSON renderer's answer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if isinstance(renderer, BrowsableAPIRenderer) and not self.may_browse(request):
            others = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
            if not others:
                raise exceptions.NotAcceptable(available_renderers=others)
            renderer, media_type = others[0], others[0].media_type
        return renderer, media_type

    @staticmethod
    def may_browse(request) -> bool:
        """Return whether the caller may have the browsable API (staff only)."""
        return is_staff(request.user)
