"""Middleware for what every response must obey.

- ``NoStoreMiddleware``: no page, API answer or download is kept by the browser or a proxy
  (a shared computer's Back button, its disk cache, a council proxy): ``Cache-Control:
  no-store``. Static files are answered before this runs (WhiteNoise) and keep their caching.
"""


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
