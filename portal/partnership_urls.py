"""Portal pages of the partnership ledger (in the portal namespace)."""

urlpatterns: list = []
