"""The command line as a user meets it: output shape, exit codes, rule listing."""
from __future__ import annotations

import json
import re

from conftest import SEEDS, run_cli

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>info|warning|error) (?P<rule>[a-z0-9-]+) (?P<msg>.+)$")


def test_text_output_is_one_finding_per_line_then_a_summary():
    result = run_cli("seeds/")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines, "no output"
    for line in lines[:-1]:
        match = LINE.match(line)
        assert match, line
        assert re.search(r"[\u4e00-\u9fff]", match["msg"]), "message must be Chinese"
    assert re.match(r"^\d+ problems in 5 files \(\d+ fixable with --fix\)$", lines[-1])
    assert "\033[" not in result.stdout  # not a TTY: no colour
    assert result.stderr == ""


def test_json_output_has_exactly_the_documented_fields():
    result = run_cli("--format", "json", "seeds/003_f7c51d839383bd6b.txt")
    data = json.loads(result.stdout)
    assert list(data) == ["findings"]
    for finding in data["findings"]:
        assert set(finding) == {"path", "line", "column", "end_column", "rule", "category", "severity", "message",
                                "fixable"}
        assert finding["line"] >= 1 and finding["column"] >= 1 and finding["end_column"] > finding["column"]


def test_columns_count_characters_not_bytes():
    result = run_cli("--format", "json", "--select", "artifact-template-error", "seeds/003_f7c51d839383bd6b.txt")
    (finding,) = json.loads(result.stdout)["findings"]
    line = (SEEDS / "003_f7c51d839383bd6b.txt").read_text(encoding="utf-8").split("\n")[finding["line"] - 1]
    assert line[finding["column"] - 1:].startswith("The template file")


def test_clean_file_exits_zero(tmp_path):
    report = tmp_path / "ok.txt"
    report.write_text("2023年工作总结\n\n全年工作平稳推进。\n", encoding="utf-8")
    result = run_cli(str(report))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "no problems in 1 file"


def test_fail_level_decides_the_exit_status(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("某某同志任组长。\n", encoding="utf-8")  # placeholder-mou is a warning
    assert run_cli(str(report)).returncode == 1
    assert run_cli("--fail-level", "error", str(report)).returncode == 0


def test_select_and_ignore_by_rule_and_category():
    path = "seeds/004_f3fae01b39ef9a42.txt"
    only_artifacts = json.loads(run_cli("--format", "json", "--select", "artifact", path).stdout)["findings"]
    assert only_artifacts and {f["category"] for f in only_artifacts} == {"artifact"}
    without = json.loads(run_cli("--format", "json", "--ignore", "artifact,placeholder-x", path).stdout)["findings"]
    assert not {f["category"] for f in without} & {"artifact"}
    assert "placeholder-x" not in {f["rule"] for f in without}


def test_unknown_rule_in_select_is_a_usage_error():
    result = run_cli("--select", "no-such-rule", "seeds/")
    assert result.returncode == 2
    assert "no-such-rule" in result.stderr and "Traceback" not in result.stderr


def test_unknown_option_and_format_exit_2():
    assert run_cli("--frobnicate").returncode == 2
    result = run_cli("--format", "yaml", "seeds/")
    assert result.returncode == 2 and "invalid choice: 'yaml'" in result.stderr


def test_missing_path_is_named(tmp_path):
    result = run_cli(str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr


def test_list_rules_shows_every_rule():
    result = run_cli("--list-rules")
    assert result.returncode == 0
    header, *rows = result.stdout.splitlines()
    assert header.split()[:4] == ["id", "category", "severity", "enabled"]
    ids = {row.split()[0] for row in rows}
    assert {"placeholder-stars", "artifact-download", "artifact-link-list"} <= ids


def test_explain_prints_description_and_examples():
    result = run_cli("--explain", "placeholder-stars")
    assert result.returncode == 0
    assert "placeholder-stars" in result.stdout and "✗" in result.stdout and "✓" in result.stdout
    assert "**县" in result.stdout
    assert run_cli("--explain", "nope").returncode == 2


def test_python_dash_m_and_directory_recursion(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "r.md").write_text("# 总结\n\nxx区全年工作。\n", encoding="utf-8")
    (nested / "r.rst").write_text("xx区全年工作。\n", encoding="utf-8")  # not a default type
    hidden = tmp_path / ".hidden"
    hidden.mkdir()
    (hidden / "r.txt").write_text("xx区全年工作。\n", encoding="utf-8")
    venv = tmp_path / "venv2"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    (venv / "r.txt").write_text("xx区全年工作。\n", encoding="utf-8")
    result = run_cli("--format", "json", str(tmp_path))
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert paths == {str(nested / "r.md")}


def test_no_color_env_and_flag(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("xx区全年工作。\n", encoding="utf-8")
    # run_cli is not a TTY, so colour must be off either way; check the flags are accepted
    assert "\033[" not in run_cli("--no-color", str(report)).stdout
    assert "\033[" not in run_cli(str(report), env={"NO_COLOR": "1"}).stdout


def test_colour_on_a_tty(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text("xx区全年工作。\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}

    def run_on_tty(*extra, extra_env=None):
        leader, follower = pty.openpty()
        proc = subprocess.run([sys.executable, "-m", "lint_reports", *extra, str(report)],
                              stdout=follower, stderr=subprocess.PIPE, env={**env, **(extra_env or {})})
        os.close(follower)
        output = b""
        try:
            while True:
                chunk = os.read(leader, 4096)
                if not chunk:
                    break
                output += chunk
        except OSError:
            pass
        os.close(leader)
        return proc.returncode, output.decode("utf-8", "replace")

    code, output = run_on_tty()
    assert code == 1 and "\033[" in output
    assert "\033[" not in run_on_tty("--no-color")[1]
    assert "\033[" not in run_on_tty(extra_env={"NO_COLOR": "1"})[1]


def test_explain_keeps_a_multi_line_example_under_its_mark():
    lines = run_cli("--explain", "artifact-link-list").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  ✗ "))
    assert lines[start + 1].startswith("    ") and lines[start + 1].strip()
