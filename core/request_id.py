"""A request id that follows a request into its log lines and the tasks it queues."""

import contextvars
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
# An id a proxy sent in X-Request-ID is kept when it is short and plain; anything else gets a fresh one.
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    """Return the id of the request (or task) being handled, or "" outside one."""
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    """Make `value` the current request id; return the token that restores the previous one."""
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    """Restore the request id a set_request_id replaced."""
    _request_id.reset(token)


class RequestIdMiddleware:
    """Give every request an id (the proxy's X-Request-ID when plain, else a new one) and answer it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if SAFE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Add the current request id to every log record (as record.request_id)."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True
