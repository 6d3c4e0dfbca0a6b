"""Shared fixtures: small hand-made histories and one simulated borough, built once per session."""

from __future__ import annotations

from datetime import date

import pytest

from sendhub.waits.history import Referral
from sendhub.waits.simulate import DEFAULT_PROFILES, simulate_service

AS_OF = date(2025, 1, 6)


@pytest.fixture(scope="session")
def slt_history() -> list[Referral]:
    """Four years of a simulated speech and language therapy list, cut at AS_OF."""
    return simulate_service(
        service="speech_language", start=date(2021, 1, 4), end=AS_OF, seed=7, profile=DEFAULT_PROFILES["speech_language"]
    )
