"""Access checks for views and the API, built on the role matrix in accounts/roles.py."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from rest_framework import permissions


class StaffRequiredMixin(AccessMixin):
    """Let in staff of the buying company; a capability, when set, narrows it further (403 otherwise)."""

    capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.is_staff_member:
            raise PermissionDenied
        if self.capability and not user.can(self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PortalRequiredMixin(AccessMixin):
    """Let in factory contacts only; `self.supplier` is their company."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not user.is_portal_user or user.supplier_id is None:
            raise PermissionDenied
        self.supplier = user.supplier
        return super().dispatch(request, *args, **kwargs)


class RolePermission(permissions.BasePermission):
    """Default API permission: signed in and active; writes need the view's `write_capability`.

    Factory contacts may write only through the actions a view lists in `portal_write_actions`. Their
    checks on an existing object run after the object lookup, so that an object of another supplier
    answers 404 on every method, exactly like a missing one (the view's queryset uses `visible_to`).
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if user.is_portal_user:
            if getattr(view, "detail", False):
                return True  # decided in has_object_permission, after the scoped lookup
            return view.action in getattr(view, "portal_write_actions", ())
        capability = getattr(view, "write_capabilities", {}).get(view.action) or getattr(
            view, "write_capability", None
        )
        return bool(capability) and user.can(capability)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.user.is_portal_user:
            return view.action in getattr(view, "portal_write_actions", ())
        return True


def require_capability(user, capability: str) -> None:
    """Refuse (PermissionDenied) a user whose role lacks a capability; every app's services call this."""
    from django.utils.translation import gettext as _

    if not user.can(capability):
        raise PermissionDenied(_("Your role does not allow this."))


def require_own_supplier(user, supplier_id: int) -> None:
    """Refuse a factory contact acting on another supplier's rows (staff pass; their capability is checked apart)."""
    if user.is_portal_user and user.supplier_id != supplier_id:
        raise PermissionDenied
