"""Shared fixtures for the tests."""

from __future__ import annotations

import pytest

from helpers import CONFIGS


@pytest.fixture(params=sorted(CONFIGS))
def config(request):
    return request.param, CONFIGS[request.param]()
