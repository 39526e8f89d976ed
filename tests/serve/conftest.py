"""A service shared by the tests of a module that need no special options (2 workers, as in production)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("starlette", reason="jppint serve needs the serve extra: pip install 'jppint[serve]'")

from tests.serve.service import Service


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    with Service("--workers", "2") as running:
        yield running
