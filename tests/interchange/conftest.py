import copy
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def example():
    """A fresh copy of the shared example file (tests may change it)."""
    return copy.deepcopy(load("example.json"))
