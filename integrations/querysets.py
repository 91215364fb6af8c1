"""Querysets of the integrations app: every row is an administrator's (no supplier ever sees one)."""

from django.db import models


class AdminOnlyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return every row to an administrator who manages integrations, nothing to anyone else."""
        if user is not None and user.is_authenticated and user.can("integration.manage"):
            return self
        return self.none()
