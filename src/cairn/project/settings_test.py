"""Test settings: the real settings with debug pages, fast password hashing, and a lower lockout limit."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault(
    "CAIRN_DATA_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "..", "var", "test")
)

from cairn.project.settings import *  # noqa: F403

# Hashing with the production hasher would dominate the run time of every test that creates a person.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Live-server threads in browser tests would otherwise keep connections open past the test, and
# PostgreSQL refuses to drop a test database that is still in use.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
