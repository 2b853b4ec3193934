import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEY"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_without_a_secret_key_fails_with_a_clear_message():
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_start_with_secrets_given_as_files(tmp_path):
    (tmp_path / "secret").write_text("a-long-random-secret-for-this-test-only-1234567890")
    (tmp_path / "fkey").write_text("ZGV2LW9ubHktZmllbGQta2V5LWRvLW5vdC11c2UtMDA=")
    result = _start(
        {
            "DEBUG": "0",
            "SECRET_KEY_FILE": str(tmp_path / "secret"),
            "FIELD_ENCRYPTION_KEY_FILE": str(tmp_path / "fkey"),
        }
    )
    assert result.returncode == 0, result.stderr


def test_the_environment_wins_over_a_local_env_file():
    """A development .env says DEBUG=1; a process started with DEBUG=0 must still demand its secrets."""
    result = _start({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
