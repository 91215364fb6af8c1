"""REST endpoints of red-flag playbooks (staff only): take a flag's action, list the actions and what came of them."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets

from accounts.models import User
from accounts.roles import STAFF_ROLES
from core.api import ScopedModelSerializer, ScopedSerializer
from core.inputs import DATE_BOUNDS
from suppliers.models import Contact

from . import selectors
from .forms import REQUIRED
from .models import GeneralManagerCopy, PlaybookAction


class GeneralManagerCopySerializer(ScopedModelSerializer):
    """Whom a contact change was copied to on the factory's side, and when the email left."""

    class Meta:
        model = GeneralManagerCopy
        fields = ["contact", "name", "email", "language", "created_at", "sent_at"]
        read_only_fields = fields


class PlaybookActionSerializer(ScopedModelSerializer):
    supplier = serializers.IntegerField(source="flag.supplier_id", read_only=True)
    rule = serializers.CharField(source="flag.rule", read_only=True)
    general_manager_copied = serializers.SerializerMethodField()

    @extend_schema_field(GeneralManagerCopySerializer(allow_null=True))
    def get_general_manager_copied(self, action):
        """The factory's general manager copied on a contact change, or null."""
        try:
            copy = action.gm_copy
        except GeneralManagerCopy.DoesNotExist:
            return None
        return GeneralManagerCopySerializer(copy, context=self.context).data

    class Meta:
        model = PlaybookAction
        fields = [
            "id",
            "flag",
            "supplier",
            "rule",
            "kind",
            "kpi",
            "note",
            "taken_by",
            "taken_at",
            "taken_on",
            "checkin",
            "corrective_action",
            "audit",
            "contact",
            "new_owner",
            "contract_review",
            "cost_breakdown",
            "review_due_on",
            "outcome",
            "measured_value",
            "measured_target",
            "measured_at",
            "general_manager_copied",
        ]
        read_only_fields = fields


class PlaybookActionTakeSerializer(ScopedSerializer):
    """What one playbook step needs; which fields depend on `kind` (the flag page's short form)."""

    kind = serializers.ChoiceField(choices=PlaybookAction.Kind.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="internal: staff only"
    )
    day = serializers.DateField(
        required=False, validators=DATE_BOUNDS, help_text="production_review: the date"
    )
    at = serializers.TimeField(required=False, help_text="production_review: the time, supplier's timezone")
    agenda = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    due_on = serializers.DateField(
        required=False, validators=DATE_BOUNDS, help_text="corrective_action: due date"
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    planned_on = serializers.DateField(
        required=False, validators=DATE_BOUNDS, help_text="process_audit: planned date"
    )
    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.filter(is_active=True), required=False, help_text="factory_contact"
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True),
        required=False,
        help_text="our_contact",
    )
    sku = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="cost_breakdown; tightened_inspection (empty: the SKU of the latest rejected lot)",
    )
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="factory_contact, our_contact, cost_breakdown: what the factory reads (the note stays internal)",
    )

    copy_general_manager = serializers.BooleanField(
        required=False,
        default=False,
        help_text="factory_contact, our_contact: email the same notice to the factory's general manager "
        "(refused when none with an email is on file)",
    )

    def validate(self, attrs):
        missing = [name for name in REQUIRED.get(attrs["kind"], ()) if not attrs.get(name)]
        if missing:
            raise serializers.ValidationError({name: ["This action needs it."] for name in missing})
        return attrs


@extend_schema(tags=["red-flags"])
class PlaybookActionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Red-flag playbook actions taken, with whether the KPI recovered; staff only (a factory token sees none)."""

    serializer_class = PlaybookActionSerializer
    filterset_fields = ["kind", "outcome"]

    queryset = PlaybookAction.objects.none()  # the schema's model; get_queryset serves the rows

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.playbook_action_list(user=self.request.user)  # empty for a factory token
