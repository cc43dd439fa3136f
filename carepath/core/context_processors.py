from django.conf import settings


def carepath(request):
    return {"demo_mode": settings.DEMO_MODE}
