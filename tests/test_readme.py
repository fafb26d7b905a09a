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


def _block(section: str, language: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)[0]


def test_the_readme_config_example_is_a_valid_config(tmp_path):
    from conftest import run_cli

    (tmp_path / ".lint-reports.yaml").write_text(_block("Configuration", "yaml"), encoding="utf-8")
    (tmp_path / "lint").mkdir()
    rule_entry = _block("Rules are data", "yaml")
    pack = "rules:\n" + "".join(f"  {line}\n" for line in rule_entry.splitlines())
    (tmp_path / "lint" / "county.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "words.txt").write_text("村村通 100 n\n", encoding="utf-8")
    result = run_cli("--list-rules", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "county-old-name" in result.stdout


def test_the_readme_pyproject_example_is_a_valid_config(tmp_path):
    from conftest import run_cli

    (tmp_path / "pyproject.toml").write_text(_block("Configuration", "toml"), encoding="utf-8")
    (tmp_path / "r.txt").write_text("某某单位\n", encoding="utf-8")
    result = run_cli("r.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # placeholder-mou is ignored


def test_every_option_the_readme_and_command_line_doc_use_exists():
    """An option renamed in the code but not in the docs would send a reader to a usage
    error: each option a `lint-reports` command of the README or docs/command-line.md uses,
    and each one the doc's tables name, is one the parser knows."""
    from lint_reports.cli.main import build_parser

    known = set(build_parser()._option_string_actions)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    doc = (ROOT / "docs" / "command-line.md").read_text(encoding="utf-8")
    commands = [line for block in re.findall(r"```(?:sh|yaml)\n(.*?)```", readme + doc, re.S)
                for line in block.splitlines() if re.match(r"\s*(- )?lint-reports ", line)]
    assert len(commands) > 20
    used = {option for line in commands
            for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", line.split("#", 1)[0])}
    table = set(re.findall(r"^\| `(--?[a-z][\w-]*)", doc, re.M))
    assert table and used
    assert sorted((used | table) - known) == []
