"""Reads of reference letters: a supplier's letters, one letter, its figures as rows, and what a verification link
says about the letter it names."""

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_countries import countries

from accounts.models import User

from ..models import Kpi
from .models import ReferenceLetter
from .services import LETTER_KPIS
from .tokens import letter_token_read

UNITS = {Kpi.ON_TIME_DELIVERY: "%", Kpi.DEFECT_RATE: "%", Kpi.RESPONSE_TIME: "h"}
COMPARISON = {Kpi.ON_TIME_DELIVERY: "≥", Kpi.DEFECT_RATE: "<", Kpi.RESPONSE_TIME: "≤"}


def letter_list(*, user: User, supplier=None):
    """Return the letters a user may see (one supplier's when given), latest first."""
    letters = ReferenceLetter.objects.visible_to(user).select_related("supplier", "issued_by")
    if supplier is not None:
        letters = letters.filter(supplier=supplier)
    return letters.order_by("-issued_at", "-pk")


def letter_get(*, user: User, pk) -> ReferenceLetter:
    """Return one letter the user may see; 404 for another supplier's or a missing one."""
    return get_object_or_404(letter_list(user=user), pk=pk)


def letter_downloadable(*, user: User, letter: ReferenceLetter) -> ReferenceLetter:
    """Return the letter when the user may download its PDF: staff always; its factory unless it was revoked.

    A revoked letter answers the factory 404, as a missing one does: the factory keeps no copy to show around of a
    letter we no longer stand behind (its list still says "Revoked"; the verification link says so to anyone).
    """
    if letter.is_revoked and not user.is_staff_member:
        raise Http404
    return letter


@dataclass(frozen=True)
class LetterFigure:
    """One KPI of a letter as printed: the value with the counts behind it, the target, met or missed."""

    kpi: str
    value: str  # "97.50 %", "12.0 h", or "" (not enough data)
    basis: str  # "39 of 40 deliveries on time"
    target: str  # "≥ 95 %"
    met: bool | None

    @property
    def label(self) -> str:
        return str(Kpi(self.kpi).label)


def _basis(kpi: str, row: dict) -> str:
    if kpi == Kpi.ON_TIME_DELIVERY:
        return f"{row['numerator']} of {row['denominator']} deliveries on time"
    if kpi == Kpi.DEFECT_RATE:
        ppm = f" ({row['ppm']} ppm)" if row.get("ppm") is not None else ""
        return f"{row['numerator']} defective of {row['denominator']} units inspected{ppm}"
    return f"{row['numerator']} of {row['denominator']} issues answered within target"


def letter_figures_rows(letter: ReferenceLetter) -> list[LetterFigure]:
    """Return the letter's frozen KPIs as rows to print (in English, as the letter is written)."""
    rows = []
    for kpi in LETTER_KPIS:
        row = letter.figures.get(kpi) or {}
        unit = UNITS[kpi]
        value = row.get("value")
        target = Decimal(row.get("target") or "0").normalize()
        rows.append(
            LetterFigure(
                kpi=kpi,
                value=f"{value} {unit}" if value is not None else "",
                basis=_basis(kpi, {"numerator": 0, "denominator": 0, **row}),
                target=f"{COMPARISON[kpi]} {target:f} {unit}",
                met=row.get("met"),
            )
        )
    return rows


def letter_country(letter: ReferenceLetter) -> str:
    """Return the supplier's country as named in English."""
    return str(countries.name(letter.supplier_country)) if letter.supplier_country else ""


@dataclass(frozen=True)
class Verification:
    """What a verification link says: "genuine" (with the letter), "invalid", "expired" or "revoked"."""

    state: str
    letter: ReferenceLetter | None = None


def letter_verify(*, token: str, now=None) -> Verification:
    """Return what a verification link proves. Every outcome runs one query, so a forged token answers in the same
    time as a real one; nothing of a letter is returned unless the link is genuine and in force."""
    now = now or timezone.now()
    claim = letter_token_read(token)
    letter = ReferenceLetter.objects.filter(pk=claim.letter_id if claim else 0).first()
    if claim is None or letter is None:
        return Verification("invalid")
    if letter.is_revoked:
        return Verification("revoked")
    if now >= claim.expires_at or letter.is_expired(now):
        return Verification("expired")
    return Verification("genuine", letter)
