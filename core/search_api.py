"""The global search over the API: the same kinds, bounds and scoping as the search page (a factory token finds its
own company's rows, with the portal's links)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .api import ScopedSerializer
from .search import search_everything


class SearchHitSerializer(ScopedSerializer):
    title = serializers.CharField(read_only=True)
    detail = serializers.CharField(read_only=True)
    url = serializers.CharField(
        read_only=True, help_text="The page that shows the row (the portal's for a factory)."
    )


class SearchGroupSerializer(ScopedSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="suppliers, contacts, orders, invoices, issues, ..."
    )
    label = serializers.CharField(read_only=True)
    hits = SearchHitSerializer(many=True, read_only=True)
    more = serializers.BooleanField(read_only=True, help_text="More rows matched than the 10 returned.")


class SearchViewSet(viewsets.ViewSet):
    """Find suppliers, contacts, orders, invoices, issues and corrective actions by number or name."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="At least 2 characters: a number or words of a name.")
        ],
        responses=SearchGroupSerializer(many=True),
    )
    def list(self, request):
        portal = bool(getattr(request.user, "is_portal_user", False))
        groups = search_everything(user=request.user, query=request.query_params.get("q", ""), portal=portal)
        return Response(
            [
                {
                    "kind": group.source.kind,
                    "label": str(group.source.label),
                    "hits": [
                        {"title": hit.title, "detail": hit.detail, "url": hit.url} for hit in group.hits
                    ],
                    "more": group.more,
                }
                for group in groups
            ]
        )
