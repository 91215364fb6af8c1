"""Reads of training and community programmes, shared by staff pages, the portal and the API."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import CommunityProgramme, Training


def training_list(*, user, supplier_id: int | None = None, status: str = "") -> QuerySet:
    """Return the training records a user may see, latest date first."""
    trainings = Training.objects.visible_to(user).select_related("supplier", "given_by", "accepted_by")
    if supplier_id is not None:
        trainings = trainings.filter(supplier_id=supplier_id)
    if status in Training.Status.values:
        trainings = trainings.filter(status=status)
    return trainings.order_by("-held_on", "-pk")


def training_get(*, user, pk) -> Training:
    """Return one training record the user may see (404 otherwise)."""
    return get_object_or_404(Training.objects.visible_to(user).select_related("supplier", "given_by"), pk=pk)


def programme_list(*, user, supplier_id: int | None = None) -> QuerySet:
    """Return the community programmes a user may see, latest start first."""
    programmes = CommunityProgramme.objects.visible_to(user).select_related("supplier", "recorded_by")
    if supplier_id is not None:
        programmes = programmes.filter(supplier_id=supplier_id)
    return programmes.order_by("-starts_on", "-pk")


def programme_get(*, user, pk) -> CommunityProgramme:
    """Return one community programme the user may see (404 otherwise)."""
    return get_object_or_404(CommunityProgramme.objects.visible_to(user).select_related("supplier"), pk=pk)
