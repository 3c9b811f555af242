"""Settings read from KODEKS_* variables: the base URI, the read model's budget, the read cache."""

from __future__ import annotations

import pytest

from kodeks.config import load_settings
from kodeks.errors import ConfigurationError


def test_the_base_uri_is_a_setting_with_a_trailing_slash() -> None:
    assert load_settings({}).base_uri == "https://kodeks.dk/id/"
    settings = load_settings({"KODEKS_BASE_URI": "https://klassifikation.aarhus.dk/id"})
    assert settings.base_uri == "https://klassifikation.aarhus.dk/id/"
    with pytest.raises(ConfigurationError, match="KODEKS_BASE_URI"):
        load_settings({"KODEKS_BASE_URI": "not a uri"})


def test_read_model_and_cache_settings() -> None:
    settings = load_settings({"KODEKS_READ_MODEL_MAX_FACTS": "10", "KODEKS_READ_CACHE_SECONDS": "0"})
    assert (settings.read_model_max_facts, settings.read_cache_seconds) == (10, 0.0)
    with pytest.raises(ConfigurationError, match="KODEKS_READ_MODEL_MAX_FACTS"):
        load_settings({"KODEKS_READ_MODEL_MAX_FACTS": "many"})
    with pytest.raises(ConfigurationError, match="KODEKS_READ_CACHE_SECONDS"):
        load_settings({"KODEKS_READ_CACHE_SECONDS": "soon"})
