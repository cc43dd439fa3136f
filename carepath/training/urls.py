"""Pages of the champions network and its training, mounted at /training/."""

urlpatterns = []
