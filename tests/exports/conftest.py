import pytest


@pytest.fixture(autouse=True)
def site_address(settings):
    """A fixed public address, so UIDs, GUIDs and links are exact values in the tests."""
    settings.BASE_URL = "https://ketenconf.example"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
