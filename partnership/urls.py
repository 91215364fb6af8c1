"""Staff pages of the partnership ledger, under /partnership/."""

urlpatterns: list = []
app_name = "partnership"
