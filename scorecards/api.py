"""REST endpoints: every visible supplier's KPIs against target (the scorecard), and red flags with their workflow."""

from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import decorators, mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.api import ScopedModelSerializer, ScopedSerializer
from core.clock import business_today

from . import kpis, periods, selectors, services
from .contests.api import RowContestViewSet
from .letters.api import ReferenceLetterViewSet
from .models import RedFlag, RedFlagNote
from .playbooks import selectors as playbook_selectors
from .playbooks import services as playbook_services
from .playbooks.api import PlaybookActionSerializer, PlaybookActionTakeSerializer, PlaybookActionViewSet

CENT = Decimal("0.01")


# The scorecard's JSON is built by hand from the portfolio's cards; these serializers only describe it (in the
# OpenAPI schema), so that the schema says what the endpoint returns: a list, one card per supplier. Every field
# is read-only.
class ScorecardPeriodSerializer(ScopedSerializer):
    key = serializers.CharField(
        help_text="90d, or an ISO week, month or quarter key such as 2026-W48.", read_only=True
    )
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)


class ScorecardKpiSerializer(ScopedSerializer):
    value = serializers.FloatField(
        allow_null=True,
        help_text="In % (hours for response times); null below the minimum sample.",
        read_only=True,
    )
    numerator = serializers.IntegerField(read_only=True)
    denominator = serializers.IntegerField(read_only=True)
    target = serializers.FloatField(read_only=True)
    met = serializers.BooleanField(allow_null=True, read_only=True)


class ScorecardPriceVarianceSerializer(ScopedSerializer):
    currency = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        read_only=True,
        help_text="Invoiced beyond what was agreed: price differences plus unagreed charges.",
    )
    price_differences = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        read_only=True,
        help_text="Sum of (invoiced − agreed price) × quantity.",
    )
    unagreed_charges = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        read_only=True,
        help_text="Extra charges not agreed on the order (the part above the agreed amount).",
    )
    agreed_value = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)
    percent = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        read_only=True,
        help_text="amount ÷ agreed value, in %.",
    )


class ScorecardFigureSerializer(ScopedSerializer):
    value = serializers.FloatField(allow_null=True, help_text="In %; null without data.", read_only=True)
    numerator = serializers.IntegerField(read_only=True)
    denominator = serializers.IntegerField(read_only=True)


class ScorecardSerializer(ScopedSerializer):
    supplier = serializers.IntegerField(read_only=True)
    period = ScorecardPeriodSerializer(read_only=True)
    name = serializers.CharField(read_only=True)
    score = serializers.FloatField(allow_null=True, read_only=True)
    grade = serializers.ChoiceField(choices=["A", "B", "C", "D"], allow_blank=True, read_only=True)
    standing = serializers.ChoiceField(
        choices=["preferred", "approved", "watch", "probation", "unrated"], read_only=True
    )
    open_flags = serializers.IntegerField(read_only=True)
    kpis = serializers.DictField(
        child=ScorecardKpiSerializer(read_only=True), help_text="One entry per KPI code.", read_only=True
    )
    as_of = serializers.DateTimeField(
        allow_null=True, read_only=True, help_text="When the figures were computed (null: for this answer)."
    )
    price_variance = ScorecardPriceVarianceSerializer(
        many=True, read_only=True, help_text="Over the period, one entry per currency invoiced."
    )
    advance_notice = ScorecardFigureSerializer(
        read_only=True,
        help_text="Two-way card: ordered quantity announced in a forecast at least 8 weeks before the order ÷ "
        "ordered quantity, over orders placed in the period.",
    )
    forecast_accuracy = ScorecardFigureSerializer(
        read_only=True, help_text="Two-way card: ordered ÷ forecast quantity over the months of the period."
    )


class ScorecardViewSet(viewsets.ViewSet):
    """KPIs of the suppliers the caller may see (a factory token: its own), with numerator, denominator and target:
    read from the stored KPI rows, ranked and paged in SQL (50 a page)."""

    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="90d (default, rolling), an ISO week 2026-W48, a month 2026-11 or a quarter "
                "2026-Q4.",
            ),
            OpenApiParameter(
                "sort", str, enum=["name", "worst"], description="name (default) or worst first."
            ),
        ],
        responses=ScorecardSerializer(many=True),
    )
    def list(self, request):
        today = business_today()
        try:
            period = periods.parse(request.query_params.get("period", ""), today=today)
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from None
        sort = request.query_params.get("sort", "name")
        if sort not in selectors.SORTS:
            raise ValidationError({"sort": ["Use name or worst."]})
        ranked = selectors.portfolio_ranked(user=request.user, period=period, today=today, sort=sort)
        paginator = self.pagination_class()
        cards = selectors.cards_with_price_variance(
            ranked.cards(paginator.paginate_queryset(ranked.rows, request, view=self)), period=period
        )
        forecasting = _forecasting(cards, period=period)
        return paginator.get_paginated_response(
            [
                {
                    "supplier": card.supplier.pk,
                    "period": {"key": period.key, "start": period.start, "end": period.end},
                    "name": card.supplier.name,
                    "score": card.score,
                    "grade": card.grade,
                    "standing": card.standing,
                    "open_flags": card.open_flags,
                    "kpis": {
                        kpi: {
                            "value": cell.value.value,
                            "numerator": cell.value.numerator,
                            "denominator": cell.value.denominator,
                            "target": cell.target,
                            "met": cell.met,
                        }
                        for kpi, cell in card.cells.items()
                    },
                    "as_of": card.as_of,
                    "price_variance": [
                        {
                            "currency": v.currency,
                            # Strings, as the schema's decimal fields are: money stays exact.
                            "amount": str(v.total),
                            "price_differences": str(v.lines.quantize(CENT)),
                            "unagreed_charges": str(v.charges.quantize(CENT)),
                            "agreed_value": str(v.agreed.quantize(CENT)),
                            "percent": None if v.percent is None else str(v.percent),
                        }
                        for v in card.price_variance
                    ],
                    **_forecast_figures(forecasting.get(card.supplier.pk, kpis.ForecastNotice())),
                }
                for card in cards
            ]
        )


def _forecasting(cards, *, period) -> dict:
    """Return the two-way card's forecast figures of the page's suppliers: from their stored rows (stored with the
    other figures, by the same refresh), computed now in one pass (kpis.forecast_notice) for those without."""
    found, missing = {}, []
    for card in cards:
        stored = getattr(card.supplier, "forecast_figures", None)
        if stored is None:
            missing.append(card.supplier.pk)
        else:
            found[card.supplier.pk] = kpis.decode_forecast_notice(stored)
    if missing:
        found.update(kpis.forecast_notice(start=period.start, end=period.end, supplier_ids=missing))
    return found


def _forecast_figures(notice) -> dict:
    return {
        name: {"value": figure.value, "numerator": figure.numerator, "denominator": figure.denominator}
        for name, figure in (
            ("advance_notice", notice.advance_notice),
            ("forecast_accuracy", notice.accuracy),
        )
    }


class RedFlagNoteSerializer(ScopedModelSerializer):
    class Meta:
        model = RedFlagNote
        fields = ["kind", "text", "author", "created_at"]
        read_only_fields = fields


class RedFlagSerializer(ScopedModelSerializer):
    # The portal words a flag for a partner and shows what was observed against the target; the triage,
    # the recommended action, the detail, the owner, the escalation and the notes are for staff.
    staff_only_fields = (
        "severity",
        "recommended_action",
        "detail",
        "owner",
        "escalated",
        "acknowledged_at",
        "note",
        "notes",
        "period_label",
    )
    notes = RedFlagNoteSerializer(many=True, read_only=True)
    period_label = serializers.CharField(read_only=True, help_text="The period in words.")

    class Meta:
        model = RedFlag
        fields = [
            "id",
            "supplier",
            "rule",
            "period",
            "severity",
            "observed",
            "target",
            "recommended_action",
            "detail",
            "owner",
            "state",
            "escalated",
            "raised_at",
            "acknowledged_at",
            "resolved_at",
            "note",
            "notes",
            "period_label",
        ]
        read_only_fields = fields


class FlagActionSerializer(ScopedSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=STAFF_ROLES), required=False
    )


class FlagBulkSerializer(ScopedSerializer):
    flags = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=500)
    action = serializers.ChoiceField(choices=services.BULK_ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=STAFF_ROLES), required=False, allow_null=True, default=None
    )


class RedFlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Red flags (a factory token sees those about its own company); staff acknowledge, resolve and assign."""

    serializer_class = RedFlagSerializer
    filterset_fields = ["supplier", "rule", "state", "severity"]
    write_capability = "flag.handle"

    def get_queryset(self):
        return (
            RedFlag.objects.visible_to(self.request.user)
            .prefetch_related("notes")
            .order_by("-raised_at", "-pk")
        )

    def _act(self, request, action):
        flag = self.get_object()
        payload = FlagActionSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        flag = action(flag=flag, by=request.user, **payload.validated_data)
        return Response(self.get_serializer(flag).data)

    @extend_schema(request=FlagActionSerializer, responses=RedFlagSerializer)
    @decorators.action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Acknowledge an open flag."""
        return self._act(
            request,
            lambda flag, by, note="", owner=None: services.flag_acknowledge(flag=flag, by=by, note=note),
        )

    @extend_schema(request=FlagActionSerializer, responses=RedFlagSerializer)
    @decorators.action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve a flag with a note."""
        return self._act(
            request, lambda flag, by, note="", owner=None: services.flag_resolve(flag=flag, by=by, note=note)
        )

    @extend_schema(request=FlagActionSerializer, responses=RedFlagSerializer)
    @decorators.action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give a flag to a colleague (owner)."""
        return self._act(request, self._assign)

    @staticmethod
    def _assign(flag, by, note="", owner=None):
        if owner is None:
            raise ValidationError({"owner": ["Choose whom to give the flag to."]})
        return services.flag_assign(flag=flag, by=by, owner=owner)

    @extend_schema(
        methods=["get"],
        request=None,
        responses=PlaybookActionSerializer(many=True),
        operation_id="red_flags_actions_list",
    )
    @extend_schema(
        methods=["post"],
        request=PlaybookActionTakeSerializer,
        responses={201: PlaybookActionSerializer},
        operation_id="red_flags_actions_create",
    )
    @decorators.action(
        detail=True, methods=["get", "post"], pagination_class=None
    )  # a flag has a few actions
    def actions(self, request, pk=None):
        """The flag's playbook actions (staff only); POST takes one step, as the flag page's button does."""
        if not request.user.is_staff_member:
            raise NotFound  # playbook actions are for staff; a factory token is told nothing exists
        flag = self.get_object()
        if request.method == "GET":
            rows = playbook_selectors.flag_playbook_actions(flag=flag)
            return Response(
                PlaybookActionSerializer(rows, many=True, context=self.get_serializer_context()).data
            )
        payload = PlaybookActionTakeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        action = playbook_services.playbook_action_take(flag=flag, by=request.user, **data)
        return Response(
            PlaybookActionSerializer(action, context=self.get_serializer_context()).data, status=201
        )

    @extend_schema(request=FlagBulkSerializer, responses=RedFlagSerializer(many=True))
    @decorators.action(detail=False, methods=["post"])
    def bulk(self, request):
        """Acknowledge or assign several flags at once: all of them, or none (400) when one cannot be."""
        payload = FlagBulkSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        wanted = set(data["flags"])
        flags = list(self.get_queryset().filter(pk__in=wanted))
        if len(flags) != len(wanted):
            raise ValidationError({"flags": ["Unknown flag."]})
        done = services.flags_bulk_handle(
            flags=flags, by=request.user, action=data["action"], owner=data["owner"], note=data["note"]
        )
        return Response(self.get_serializer(done, many=True).data)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
    router.register("red-flags", RedFlagViewSet, basename="red-flag")
    router.register("scorecard-contests", RowContestViewSet, basename="scorecard-contest")
    router.register("playbook-actions", PlaybookActionViewSet, basename="playbook-action")
    router.register("reference-letters", ReferenceLetterViewSet, basename="reference-letter")
