"""The Django management command, run the way a person runs it (a fresh process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["sendhub.waits"], DATABASES={})
django.setup()
from django.core.management import execute_from_command_line
execute_from_command_line(["sendhub", *sys.argv[1:]])
"""
ROOT = Path(__file__).resolve().parents[3]


def _sendhub(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def history(tmp_path: Path) -> str:
    path = tmp_path / "h.csv"
    path.write_text(
        "referral_id,service,priority,referred_on,seen_on,removed_on\n"
        "a,slt,routine,2024-01-01,2024-03-01,\n"
        "b,slt,urgent,2024-02-01,,\n"
        "c,slt,routine,2024-01-05,,\n",
        encoding="utf-8",
    )
    return str(path)


def test_estimate_prints_csv(history: str) -> None:
    done = _sendhub("waits", "estimate", "--history", history, "--as-of", "2024-06-01")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "referral_id,service,position,p10,p50,p90"
    assert [line.split(",")[:3] for line in lines[1:]] == [["b", "slt", "1"], ["c", "slt", "2"]]


@pytest.mark.parametrize(
    "extra",
    [["--as-of", "2024-02-30"], ["--as-of", "2024-06-01", "--format", "xml"], ["--as-of", "2024-01-02"], ["--as-of", "2024-06-01", "--x"]],
)
def test_invalid_input_exits_2_with_one_line(history: str, extra: list[str]) -> None:
    done = _sendhub("waits", "estimate", "--history", history, *extra)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    done = _sendhub("waits", "estimate", "--history", str(tmp_path / "none.csv"), "--as-of", "2024-06-01")
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1)
