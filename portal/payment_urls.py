"""Portal pages of the payments app (in the portal namespace)."""

urlpatterns = []
