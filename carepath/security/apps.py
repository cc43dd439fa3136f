from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "carepath.security"
    label = "security"
    verbose_name = "Web security: headers, session lifetime, rate limits"
