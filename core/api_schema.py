"""The API's OpenAPI schema: drf-spectacular's, plus the error answers each operation can give.

drf-spectacular documents only the success answer; a client (and the schemathesis run in the test suite) must
also know that a wrong token answers 401, a forbidden write 403, a missing object or page 404, bad input 400 and
a body in a media type the operation does not take 415, each as JSON shaped by config/api_errors.py.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent, force_instance

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "Why the request was refused, in the caller's language.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": "The messages per field name (a list, or an object or list of them for nested input); "
        "`non_field_errors` holds the messages about the request as a whole.",
        "additionalProperties": {},
    },
)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema of one operation, with its 400, 401, 403, 404 and 415 answers."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # Fields a serializer lists in `staff_only_fields` are left out of what a factory contact reads: the
        # schema (which describes the staff shape) must not require them.
        staff_only = set(getattr(force_instance(serializer), "staff_only_fields", ()))
        if staff_only and schema.get("required"):
            schema["required"] = [name for name in schema["required"] if name not in staff_only]
            if not schema["required"]:
                del schema["required"]
        return schema

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        errors = {
            "401": (ERROR, "No valid token or session."),
            "403": (ERROR, "The caller's role (or a factory contact's company) may not do this."),
        }
        if self.method not in ("GET", "HEAD") or any(p["in"] == "query" for p in parameters):
            errors["400"] = (VALIDATION_ERROR, "The input was refused; nothing changed.")
        if "requestBody" in operation:
            errors["415"] = (ERROR, "The body is not in one of the media types the operation takes.")
        # A missing object, another supplier's object, a page past the end and a bad cursor all answer 404.
        if any(p["in"] == "path" for p in parameters) or any(
            p["name"] in ("page", "cursor") for p in parameters
        ):
            errors["404"] = (ERROR, "Not found (or not visible to the caller).")
        media_types = self.map_renderers("media_type") or ["application/json"]
        for code, (component, description) in sorted(errors.items()):
            self.registry.register_on_missing(component)
            operation["responses"].setdefault(
                code,
                {
                    "description": description,
                    "content": {media_type: {"schema": component.ref} for media_type in media_types},
                },
            )
        return operation
