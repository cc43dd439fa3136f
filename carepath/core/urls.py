from django.contrib.auth import views as auth_views
from django.urls import path

from carepath.core import account_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "account/login/",
        auth_views.LoginView.as_view(template_name="core/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", account_views.two_factor_view, name="two_factor"),
    path("account/password/", account_views.password_change_view, name="password_change"),
    path("records/<str:record_type>/<int:record_id>/access-log/", views.access_log_view, name="access_log"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:task_id>/record/", views.task_record_view, name="task_record"),
    path("tasks/<int:task_id>/take/", views.task_take_view, name="task_take"),
    path("audit/", views.audit_home, name="audit_home"),
    path("audit/people/<int:person_id>/", views.audit_person, name="audit_person"),
    path("audit/users/<int:user_id>/", views.audit_user, name="audit_user"),
    path("audit/alerts/<int:alert_id>/", views.access_alert_detail, name="access_alert_detail"),
]
