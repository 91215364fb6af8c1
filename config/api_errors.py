"""Turn a Django ValidationError or PermissionDenied raised by a service into a DRF error response, give every
400 one shape (messages by field name), and answer unknown API URLs with JSON."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Answer service validation errors with 400 and the messages, per field where known."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        # A bare list of messages (DRF's search filter refusing a NUL, say) takes the shape of every other 400.
        exc = exceptions.ValidationError(detail={"non_field_errors": exc.detail})
    return drf_exception_handler(exc, context)


def page_not_found(request, exception):
    """Answer a URL that matches no route: JSON under /api/ (as the API's schema says), the HTML page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
