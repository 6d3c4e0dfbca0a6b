"""The command as other programs run it: real processes, real exit codes, real streams.

No database is touched: the management command is checked in a subprocess, once under a
minimal Django configuration (always available) and once under sendhub's own settings
through the `sendhub` console script or `python -m sendhub.cli` (when those settings exist).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sendhub.clock.tests.test_worked_examples import CONTRACT_EXAMPLE, CONTRACT_EXAMPLE_OUTPUT

ROOT = Path(__file__).resolve().parents[3]
BAD = {"as_of": "2026-03-02", "cases": [{"id": "A", "kind": "assessment", "events": []}]}
BAD_MESSAGE = "case \"A\": missing required field 'request_received'\n"

MINIMAL_DJANGO = """
import sys
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=["sendhub.clock"], DATABASES={})
django.setup()
from django.core.management import execute_from_command_line
execute_from_command_line(["sendhub", "timescales", *sys.argv[1:]])
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _run(argv: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, input=stdin, capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120, check=False
    )


def _commands() -> list[pytest.param]:
    params = [
        pytest.param([sys.executable, "-m", "sendhub.clock.command"], id="pure"),
        pytest.param([sys.executable, "-c", MINIMAL_DJANGO], id="management-command-minimal-django"),
    ]
    if importlib.util.find_spec("sendhub.settings") is not None:
        script = shutil.which("sendhub") or str(Path(sys.executable).with_name("sendhub"))
        if Path(script).exists():
            params.append(pytest.param([script, "timescales"], id="sendhub-console-script"))
        params.append(pytest.param([sys.executable, "-m", "sendhub.cli", "timescales"], id="sendhub-cli-module"))
    return params


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(CONTRACT_EXAMPLE), encoding="utf-8")
    bad.write_text(json.dumps(BAD), encoding="utf-8")
    return {"good": good, "bad": bad, "missing": tmp_path / "missing.json"}


@pytest.mark.parametrize("command", _commands())
def test_file_argument(command, files):
    done = _run([*command, str(files["good"])])
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == CONTRACT_EXAMPLE_OUTPUT


@pytest.mark.parametrize("command", _commands())
def test_standard_input(command):
    done = _run(command, stdin=json.dumps(CONTRACT_EXAMPLE))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == CONTRACT_EXAMPLE_OUTPUT


@pytest.mark.parametrize("command", _commands())
def test_invalid_input_exits_2_with_one_line(command, files):
    done = _run([*command, str(files["bad"])])
    assert (done.returncode, done.stdout, done.stderr) == (2, "", BAD_MESSAGE)
    done = _run(command, stdin="{not json")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("invalid JSON: ") and done.stderr.count("\n") == 1
    done = _run([*command, str(files["missing"])])
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("cannot read ") and done.stderr.count("\n") == 1
