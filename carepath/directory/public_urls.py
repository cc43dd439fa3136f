"""Public pages of the directory ("Find help near you"), mounted at /help/services/ (no login)."""

urlpatterns = []
