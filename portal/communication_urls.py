"""Portal pages of the communications app (in the portal namespace)."""

urlpatterns = []
