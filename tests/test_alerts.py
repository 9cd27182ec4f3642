"""deploy/prometheus/hep-alerts.yml: valid for Prometheus (promtool check rules), and each alert
fires on the series that should raise it (promtool test rules, tests/prometheus/)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "deploy" / "prometheus" / "hep-alerts.yml"
UNIT_TESTS = ROOT / "tests" / "prometheus" / "hep-alerts-test.yml"


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    require_tool("promtool", tool is not None, "apt-get install prometheus")
    assert tool is not None
    return subprocess.run(
        [tool, *args], cwd=UNIT_TESTS.parent, capture_output=True, text=True, timeout=60
    )


def test_prometheus_accepts_the_alert_rules():
    done = promtool("check", "rules", str(RULES))
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_alert_fires_when_it_should():
    done = promtool("test", "rules", UNIT_TESTS.name)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_a_firing_case():
    alerts = {
        rule["alert"]
        for group in yaml.safe_load(RULES.read_text())["groups"]
        for rule in group["rules"]
    }
    cases = yaml.safe_load(UNIT_TESTS.read_text())["tests"]
    firing = {
        case["alertname"]
        for test in cases
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert alerts <= firing, alerts - firing
