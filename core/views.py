"""View helpers every app uses: the staff check, paging, and the two ways a view hands a POST to a service.

A page with a form calls `submit()` and re-renders the form (status 400) unless it went through; a button that
posts to an action view calls `run_service()` and redirects back, the outcome shown as a message.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.pagination import EstimatedCountPaginator, staff_asks


def require_staff(request, capability: str | None = None) -> None:
    """Let through staff (holding `capability` when given); 403 for anyone else."""
    if not request.user.is_staff_member or (capability and not request.user.can(capability)):
        raise PermissionDenied


def paginate(request, items, per_page: int = 25):
    """Return the page of `items` the request asks for (`?page=`; out of range: the nearest) and the request's other
    parameters, urlencoded, for the page links (templates/includes/pagination.html) to keep the filters.

    Past 10,000 rows a staff list's number of pages is estimated, not counted (core.pagination.EstimatedCountPaginator);
    a factory's list is always counted."""
    paginator = EstimatedCountPaginator(items, per_page, estimate=staff_asks(request))
    return paginator.get_page(request.GET.get("page")), page_query(request)


def page_query(request) -> str:
    """Return the request's parameters but `page`, urlencoded, for the page links to keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on a field the form has, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@dataclass(frozen=True)
class Submitted:
    """What `submit()` did: truthy when the service went through, with what it returned."""

    ok: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.ok


def submit(
    request, form, action: Callable[[dict], Any], success: str | None = None, *, also: tuple = ()
) -> Submitted:
    """Validate `form` (and the formsets in `also`) and hand its cleaned data to `action` in one transaction.

    A service's ValidationError lands on the form, on the fields it names, and writes nothing; the caller re-renders
    the form. (A PermissionDenied is not a form error: it answers 403.) On success, `success` is shown as a message.
    """
    valid = [part.is_valid() for part in (form, *also)]  # every part, so that each shows its own errors
    if not all(valid):
        return Submitted(False)
    try:
        with transaction.atomic():
            result = action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Submitted(False)
    if success:
        messages.success(request, success)
    return Submitted(True, result)


def run_service(request, action: Callable[[], Any], success: str):
    """Call a service from a POST-only view; its refusal becomes an error message and nothing is written."""
    try:
        with transaction.atomic():
            result = action()
        messages.success(request, success)
        return result
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role does not allow this."))
    return None
