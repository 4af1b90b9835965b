"""What a production app server does before it takes traffic."""

import os
import subprocess
import sys

from tests.conftest import REPO


def test_a_worker_builds_the_place_index_before_its_first_request(tmp_path):
    # Built lazily, the index cost a fresh worker's first location search 2 to 5 s.
    code = (
        "import careatlas.wsgi;"
        "from careatlas.providers import gazetteer;"
        "print(gazetteer.index.cache_info().currsize)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(CAREATLAS_ENV="development", SQLITE_PATH=str(tmp_path / "serving.sqlite3"))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
