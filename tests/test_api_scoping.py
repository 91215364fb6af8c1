"""Every choice the API offers a factory contact comes from `visible_to`, and staff-only fields stay with staff.

The checks walk the API router, not a list kept by hand: a new viewset, action, serializer, related field or
filter is covered the day it is added. See core/api.py for the mechanism these tests hold in place.
"""

import pytest
from django.urls import reverse
from django_filters.filters import QuerySetRequestMixin
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config import api_urls
from core.api import (
    CHOICE_SCOPES,
    ScopedSerializerMixin,
    StaffBrowsableContentNegotiation,
    VisibleChoicesFilterBackend,
)
from suppliers.models import Supplier
from tests.rivals import rival_objects

PROJECT_PACKAGES = {
    "accounts",
    "audits",
    "communications",
    "config",
    "integrations",
    "orders",
    "payments",
    "portal",
    "scorecards",
}
PROJECT_PACKAGES |= {"suppliers"}
STANDARD_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")
VIEWSETS = [(prefix, viewset) for prefix, viewset, _basename in api_urls.router.registry]


@pytest.fixture
def rivals(objects_a, supplier_a, supplier_b, quality):
    return rival_objects(supplier_a=supplier_a, supplier_b=supplier_b, staff_user=quality)


def project_serializers() -> list[type]:
    """Every serializer class the project defines (the API modules are imported by the URLconf)."""
    found, stack = set(), [serializers.BaseSerializer]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.split(".")[0] in PROJECT_PACKAGES:
                found.add(subclass)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def writable_related_fields(serializer):
    """Yield (name, related field) for every writable related field of a serializer, nested ones included."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ManyRelatedField):
            yield name, field.child_relation
        elif isinstance(field, serializers.RelatedField):
            yield name, field
        elif isinstance(field, serializers.BaseSerializer):
            yield from ((f"{name}.{sub}", related) for sub, related in writable_related_fields(field))


def actions_of(viewset) -> list[str]:
    return [name for name in STANDARD_ACTIONS if hasattr(viewset, name)] + [
        action.__name__ for action in viewset.get_extra_actions()
    ]


def view_for(viewset, action: str, user):
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    view = viewset(action=action, request=request, format_kwarg=None, args=(), kwargs={})
    return view, request


def serializers_offered(user):
    """Yield (where, serializer instance) for every serializer a viewset builds, per action, and for every
    serializer class of the project (the action payloads), all with the user's request in their context."""
    for prefix, viewset in VIEWSETS:
        for action in actions_of(viewset):
            view, request = view_for(viewset, action, user)
            if isinstance(view, GenericAPIView) and view.get_serializer_class() is not None:
                yield f"{prefix} {action}", view.get_serializer()
    _view, request = view_for(VIEWSETS[0][1], "create", user)
    for cls in project_serializers():
        if issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta"):
            continue  # a base class (ScopedModelSerializer, SupplierScopedSerializer)
        yield cls.__qualname__, cls(context={"request": request})


def filter_querysets_offered(user):
    """Yield (where, queryset) for every model choice of every filter form a viewset's backends build."""
    for prefix, viewset in VIEWSETS:
        if "list" not in actions_of(viewset):
            continue
        view, request = view_for(viewset, "list", user)
        for backend in getattr(view, "filter_backends", ()):
            if not issubclass(backend, DjangoFilterBackend):
                continue
            filterset = backend().get_filterset(request, view.get_queryset(), view)
            for name, filter_ in (filterset.filters if filterset is not None else {}).items():
                if isinstance(filter_, QuerySetRequestMixin):
                    yield f"{prefix} ?{name}=", filter_.field.queryset


def problems_with(where: str, queryset, user, rivals) -> list[str]:
    """What is wrong with a queryset of choices offered to a factory contact: a rival row, or a row outside
    the model's own `visible_to(user)`."""
    model = queryset.model
    offered = set(queryset.values_list("pk", flat=True))
    forbidden = {row.pk for row in rivals.get(model._meta.label, [])} & offered
    problems = [f"{where}: offers {model._meta.label} {sorted(forbidden)}"] if forbidden else []
    if hasattr(model._default_manager, "visible_to"):
        beyond = offered - set(model._default_manager.visible_to(user).values_list("pk", flat=True))
        if beyond:
            problems.append(f"{where}: offers {model._meta.label} {sorted(beyond)} beyond visible_to")
    return problems


# --- The mechanism is used everywhere ----------------------------------------------------------------------


def test_every_serializer_of_the_project_is_a_scoped_serializer():
    found = project_serializers()
    assert len(found) > 30  # the API modules were walked
    unscoped = [
        f"{cls.__module__}.{cls.__qualname__}" for cls in found if not issubclass(cls, ScopedSerializerMixin)
    ]
    assert not unscoped, f"derive these from core.api.ScopedModelSerializer / ScopedSerializer: {unscoped}"


@pytest.mark.parametrize(("prefix", "viewset"), VIEWSETS, ids=[prefix for prefix, _ in VIEWSETS])
def test_every_viewset_filters_and_negotiates_through_the_scoping_classes(prefix, viewset):
    for backend in getattr(viewset, "filter_backends", ()):
        if issubclass(backend, DjangoFilterBackend):
            assert issubclass(backend, VisibleChoicesFilterBackend), (prefix, backend)
    if issubclass(viewset, GenericAPIView):
        # Filtering a queryset some other way would bypass the backends (and their scoped choices).
        assert viewset.filter_queryset is GenericAPIView.filter_queryset, prefix
    assert issubclass(viewset.content_negotiation_class, StaffBrowsableContentNegotiation), prefix


def test_every_model_offered_as_a_choice_has_a_visibility_rule(rivals, portal_a, buyer):
    models = set()
    for user in (portal_a, buyer):
        for _where, serializer in serializers_offered(user):
            models |= {field.queryset.model for _name, field in writable_related_fields(serializer)}
        models |= {queryset.model for _where, queryset in filter_querysets_offered(user)}
    without_rule = sorted(
        model._meta.label
        for model in models
        if not hasattr(model._default_manager, "visible_to") and model._meta.label not in CHOICE_SCOPES
    )
    assert not without_rule, (
        f"give these a visible_to (or an entry in core.api.CHOICE_SCOPES): {without_rule}"
    )


# --- A factory contact is offered its own objects only -------------------------------------------------------


def test_related_fields_offer_a_factory_contact_only_what_it_may_see(rivals, portal_a):
    problems, models = [], set()
    for where, serializer in serializers_offered(portal_a):
        for name, field in writable_related_fields(serializer):
            queryset = field.get_queryset()
            models.add(queryset.model._meta.label)
            problems += problems_with(f"{where}.{name}", queryset, portal_a, rivals)
    assert not problems, "\n".join(problems)
    # The walk reached the fields that leaked before (so this test can fail).
    assert {
        "suppliers.Supplier",
        "suppliers.Certification",
        "suppliers.ProductCategory",
        "accounts.User",
        "orders.PurchaseOrder",
        "orders.PilotProgram",
        "orders.Delivery",
        "audits.QCInspection",
        "payments.Invoice",
    } <= models


def test_filter_forms_offer_a_factory_contact_only_what_it_may_see(rivals, portal_a):
    problems, models = [], set()
    for where, queryset in filter_querysets_offered(portal_a):
        models.add(queryset.model._meta.label)
        problems += problems_with(where, queryset, portal_a, rivals)
    assert not problems, "\n".join(problems)
    assert {"suppliers.Supplier", "orders.PurchaseOrder", "payments.Invoice", "accounts.User"} <= models


def test_a_factory_contact_is_offered_its_own_supplier_orders_and_dedicated_staff(
    rivals, objects_a, portal_a
):
    view, _request = view_for(api_urls.router.registry[0][1], "create", portal_a)
    from orders.api import OrderSerializer

    fields = OrderSerializer(context={"request": view.request}).fields
    assert list(fields["supplier"].get_queryset()) == [objects_a["supplier"]]
    from suppliers.api import SupplierSerializer

    owners = SupplierSerializer(context={"request": view.request}).fields["owner"].get_queryset()
    assert set(owners) == {objects_a["supplier"].owner}


def test_staff_are_offered_every_supplier(rivals, buyer):
    offered = Supplier.objects.none()
    for where, serializer in serializers_offered(buyer):
        if where == "orders create":
            offered = serializer.fields["supplier"].get_queryset()
    assert {"Alpha Factory", "Beta Works"} <= {supplier.name for supplier in offered}


def test_the_check_finds_an_unscoped_related_field(rivals, portal_a):
    class Unscoped(serializers.Serializer):
        supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all())

    assert problems_with("Unscoped.supplier", Unscoped().fields["supplier"].get_queryset(), portal_a, rivals)


def test_another_suppliers_object_in_a_filter_answers_like_a_missing_one(api_client, rivals, portal_a):
    api_client.force_authenticate(portal_a)
    url = reverse("api:order-list")
    theirs = api_client.get(url, {"supplier": rivals["suppliers.Supplier"][0].pk})
    missing = api_client.get(url, {"supplier": 987654321})
    assert theirs.status_code == missing.status_code == 400
    assert theirs.json() == missing.json()
    assert api_client.get(url, {"supplier": portal_a.supplier_id}).status_code == 200
