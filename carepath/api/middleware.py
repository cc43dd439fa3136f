"""Guards in front of the API (``/api/``), run before a session, a token or a body is
looked at: rate limits per client address and per token, and bodies in JSON only.
Refusals are JSON like the API's own errors, and echo nothing that was sent."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from carepath.api.auth import token_hash
from carepath.security.ratelimits import rate_limit_count

API_PREFIX = "/api/"
BODY_METHODS = ("POST", "PUT", "PATCH")


def _bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _too_many(wait: int, who: str) -> HttpResponse:
    seconds = "second" if wait == 1 else "seconds"
    response = JsonResponse({"detail": f"Too many requests {who}. Wait {wait} {seconds}, then try again."}, status=429)
    response["Retry-After"] = str(wait)
    return response


class ApiRateLimitMiddleware:
    """Every API request counts against its client address's limit and, when it carries a
    token, that token's (counted by the token's hash, so only its holder can use it up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            wait = rate_limit_count(request, group="api-address", rate=settings.RATE_LIMIT_API_PER_ADDRESS)
            if wait is not None:
                return _too_many(wait, "from your address")
            token = _bearer_token(request)
            if token:
                wait = rate_limit_count(
                    request,
                    group="api-token",
                    rate=settings.RATE_LIMIT_API_PER_TOKEN,
                    key=lambda _group, _request: token_hash(token),
                )
                if wait is not None:
                    return _too_many(wait, "with this API token")
        return self.get_response(request)


class ApiJsonBodyMiddleware:
    """A request that carries a body (POST, PUT, PATCH) must say it is JSON in UTF-8:
    anything else gets 415, before the body is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and request.method in BODY_METHODS:
            charset = request.content_params.get("charset", "utf-8").lower()
            if request.content_type.lower() != "application/json" or charset not in ("utf-8", "utf8"):
                return JsonResponse(
                    {"detail": "Send the body as JSON, with the header Content-Type: application/json."}, status=415
                )
        return self.get_response(request)
