"""Settings for the benches only: the product's local settings plus bench/urls.py, which adds
the plain reference page beside the real URLs. Nothing here is part of the product."""

from pathlib import Path

from config.settings.local import *  # noqa: F401,F403
from config.settings.local import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
