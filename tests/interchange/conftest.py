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


@pytest.fixture
def example2():
    """A fresh copy of the shared exhibition-data/2 example."""
    return copy.deepcopy(load("v2/example-2.json"))
