"""The back office's fixtures for preparing data, shared here; every test counts afresh."""

import pytest

from tests.backoffice.conftest import in_app  # noqa: F401
from webapp.public_figures import counting


@pytest.fixture(autouse=True)
def _count_afresh():
    counting.forget()
    yield
    counting.forget()
