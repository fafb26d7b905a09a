"""The README tells the truth: its rule table is the packs', its test command is CI's."""
import importlib.util
import re

from conftest import ROOT


def _tool():
    spec = importlib.util.spec_from_file_location("readme_rules", ROOT / "tools" / "readme_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_table_lists_every_builtin_rule():
    tool = _tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert tool.with_table(readme) == readme, "run: python tools/readme_rules.py"


def test_the_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(commands) == 2
    install_and_run, run_tests = commands
    assert "lint-reports seeds/" in install_and_run
    assert run_tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
