"""Fixtures for integration tests."""

import pytest


@pytest.fixture
def no_retry_wait(settings):
    """Three retries, none waited for: a test sees the whole schedule at once."""
    settings.TALAD_OUTBOX_RETRY_DELAYS = [0, 0, 0]
