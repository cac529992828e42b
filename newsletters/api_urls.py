"""newsletters language-neutral endpoints (feeds, APIs, signed links)."""

urlpatterns: list = []
