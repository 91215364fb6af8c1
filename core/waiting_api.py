"""GET /api/v1/me/tasks/: what waits for the token's user, the same items, counts and links as their home page."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .api import ScopedSerializer
from .waiting import PREVIEW_ROWS, waiting_list, waiting_summary


class WaitingRowSerializer(ScopedSerializer):
    label = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="The page of the row (the portal's for a factory).")


class WaitingItemSerializer(ScopedSerializer):
    key = serializers.CharField(read_only=True, help_text="Stable name of the item, e.g. capas_to_verify.")
    label = serializers.CharField(read_only=True, help_text="In the user's language.")
    count = serializers.IntegerField(
        read_only=True, help_text="Counting stops at 100: 100 means 100 or more (the page shows 99+)."
    )
    url = serializers.CharField(read_only=True, help_text="The list page filtered to exactly these rows.")
    actionable = serializers.BooleanField(
        read_only=True, help_text="False for items shown for information (check-ins ahead): not in the total."
    )
    rows = WaitingRowSerializer(
        many=True, read_only=True, help_text="The first few rows (none with ?preview=0)."
    )


class WaitingSerializer(ScopedSerializer):
    total = serializers.IntegerField(
        read_only=True, help_text="What the navbar badge shows: the sum of the actionable items' counts."
    )
    items = WaitingItemSerializer(many=True, read_only=True)


class _OneObjectSchema(AutoSchema):
    """The answer is one object (total and items), though the route is a viewset's list."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class MyTasksViewSet(viewsets.ViewSet):
    """What waits for me: each item of my home page with its count and link (a factory's own rows only)."""

    schema = _OneObjectSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "preview", bool, description="Include the first three rows of each item (default no)."
            )
        ],
        responses=WaitingSerializer,
    )
    def list(self, request):
        summary = waiting_summary(request)
        preview = 0 if request.query_params.get("preview") in ("0", "false", "no") else PREVIEW_ROWS
        items = waiting_list(user=request.user, counts=summary["counts"], preview=preview)
        for item in items:
            item["label"] = str(item["label"])
        return Response({"total": summary["total"], "items": items})
