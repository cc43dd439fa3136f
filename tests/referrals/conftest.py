import pytest
from django.test import Client


@pytest.fixture
def client():
    """A browser on a page of this site: like every current browser, it says where each form
    POST came from (Origin), which the public forms require in place of a CSRF cookie."""
    return Client(headers={"Origin": "http://testserver"})
