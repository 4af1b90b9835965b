"""The lock file the install uses agrees with pyproject.toml and pins every package by hash."""

import re
import tomllib

from tests.conftest import REPO

ENTRY = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)(?:\s*;[^\\]*)?\s*\\?$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, tuple[str, int]]:
    """Package -> (version, number of hashes) from requirements.lock."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (REPO / "requirements.lock").read_text().splitlines():
        match = ENTRY.match(line)
        if match:
            current = _normalise(match.group(1))
            found[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def _pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    wanted = project["project"]["dependencies"] + project["dependency-groups"]["dev"]
    pins = {}
    for requirement in wanted:
        name, _, version = requirement.partition("==")
        pins[_normalise(re.sub(r"\[.*\]", "", name))] = version
    return pins


def test_every_pin_in_pyproject_is_locked_at_the_same_version():
    locked = _locked()
    for name, version in _pins().items():
        assert name in locked, f"{name} is pinned in pyproject.toml but missing from the lock"
        assert locked[name][0] == version, f"{name}: pyproject {version}, lock {locked[name][0]}"


def test_every_locked_package_carries_a_hash():
    locked = _locked()
    assert len(locked) > len(_pins())  # the transitive packages are locked too
    unhashed = [name for name, (_version, hashes) in locked.items() if hashes == 0]
    assert unhashed == []


def test_the_install_uses_the_lock_with_hashes_required():
    makefile = (REPO / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile
