from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "carepath.security"
    label = "security"
    verbose_name = "Web security: headers, session lifetime, rate limits"

    def ready(self) -> None:
        from carepath.security import signals  # noqa: F401 - connects the sign-in time stamp
