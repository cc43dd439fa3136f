"""Staff pages of the directory of services, mounted at /directory/."""

urlpatterns = []
