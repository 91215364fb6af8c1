"""API of spreadsheet imports: upload a file (multipart), read the preview row by row, confirm or cancel.

The same services as the pages: the upload is checked and previewed by a worker; poll the job until its status
is `previewed`, read its rows, then POST confirm (with `only_good_rows` when some rows are bad).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import decorators, mixins, permissions, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from . import selectors, services
from .models import ImportJob, ImportKind, ImportRow


class StaffWrites(permissions.BasePermission):
    """Signed in and active; writes by staff only (each kind's capability is checked by the service)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return request.method in permissions.SAFE_METHODS or user.is_staff_member


class ImportRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRow
        fields = ["number", "action", "label", "errors"]


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "file_name",
            "file_kind",
            "status",
            "only_good_rows",
            "total_rows",
            "progress",
            "created_count",
            "updated_count",
            "skipped_count",
            "error_count",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> int:
        return services.import_progress(job)


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()


class ImportConfirmSerializer(serializers.Serializer):
    only_good_rows = serializers.BooleanField(default=False)


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Spreadsheet imports (CSV or XLSX): POST a file to preview it; confirm to import its rows."""

    serializer_class = ImportJobSerializer
    permission_classes = [StaffWrites]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.import_job_list(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer}, responses={201: ImportJobSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Upload a file: it is checked at once, then every row is previewed by a worker (poll the job)."""
        payload = ImportUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        job = services.import_job_create(by=request.user, kind=data["kind"], upload=data["file"])
        job.refresh_from_db()
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImportConfirmSerializer, responses=ImportJobSerializer)
    @decorators.action(
        detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser]
    )
    def confirm(self, request, pk=None):
        """Import the previewed rows (all or nothing, unless `only_good_rows`)."""
        job = self.get_object()
        payload = ImportConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.import_job_confirm(job=job, by=request.user, **payload.validated_data)
        job.refresh_from_db()
        return Response(self.get_serializer(job).data)

    @extend_schema(request=None, responses=ImportJobSerializer)
    @decorators.action(
        detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser]
    )
    def cancel(self, request, pk=None):
        """Drop a previewed import without loading anything."""
        job = services.import_job_cancel(job=self.get_object(), by=request.user)
        return Response(self.get_serializer(job).data)

    @extend_schema(responses=ImportRowSerializer(many=True))
    @decorators.action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        """A job's rows: what each would do or did, and each bad row's errors (`?errors=1`: bad rows only)."""
        job = self.get_object()
        rows = selectors.import_job_rows(job=job, only_errors=request.query_params.get("errors") == "1")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ImportRowSerializer(page, many=True).data)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("imports", ImportJobViewSet, basename="import-job")
