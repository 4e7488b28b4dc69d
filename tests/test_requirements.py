"""requirements.txt alone (a production install) brings everything the running app needs.

The test venv has more (pytest and friends), which can hide a missing runtime dependency:
kombu's Redis transport imports `packaging`, which only the `redis` extra pulls in, and a
production `celery worker` once crashed at start without it.
"""

import importlib.metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def runtime_closure():
    """Canonical names of every distribution requirements.txt installs, extras and markers followed."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    todo = [Requirement(line.split("#")[0].strip()) for line in lines if line.split("#")[0].strip()]
    seen = {}
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        extras = set(requirement.extras)
        if name in seen and extras <= seen[name]:
            continue
        seen[name] = seen.get(name, set()) | extras
        for spec in importlib.metadata.requires(requirement.name) or []:
            dependency = Requirement(spec)
            contexts = [{"extra": extra} for extra in seen[name] | {""}]
            if dependency.marker is None or any(dependency.marker.evaluate(context) for context in contexts):
                todo.append(dependency)
    return set(seen)


def test_requirements_bring_what_the_redis_transport_imports():
    closure = runtime_closure()
    assert {"redis", "packaging"} <= closure, "use celery[redis] so kombu's Redis transport has its imports"


def test_requirements_bring_the_production_processes():
    closure = runtime_closure()
    assert {"django", "gunicorn", "celery", "kombu", "psycopg", "whitenoise", "django-environ"} <= closure
    assert "pytest" not in closure
