"""--write-baseline / --baseline, end to end through the CLI."""
from __future__ import annotations

import json

from conftest import SEEDS, cli_json, run_cli

REPORT = "根据**县人民政府要求，全县共有xx个村。\n今年圆满完成了各项工作任务。\n"


def _write(tmp_path, text, name="a.txt"):
    (tmp_path / name).write_text(text, encoding="utf-8")


def test_write_baseline_records_findings_in_stable_order_and_exits_0(tmp_path):
    _write(tmp_path, REPORT)
    result = run_cli("--write-baseline", "baseline.json", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "wrote 2 findings to baseline baseline.json" in result.stderr
    first = (tmp_path / "baseline.json").read_text(encoding="utf-8")
    data = json.loads(first)
    assert data["tool"] == "lint-reports" and data["version"] == 1
    assert data["findings"] == [
        {"path": "a.txt", "rule": "placeholder-stars", "text": "**", "before": "根据",
         "after": "县人民政府要求，", "count": 1},
        {"path": "a.txt", "rule": "placeholder-x", "text": "xx", "before": "府要求，全县共有",
         "after": "个村。", "count": 1},
    ]
    run_cli("--write-baseline", "baseline.json", ".", cwd=tmp_path)
    assert (tmp_path / "baseline.json").read_text(encoding="utf-8") == first


def test_baseline_hides_known_findings_even_after_lines_are_inserted_above(tmp_path):
    _write(tmp_path, REPORT)
    run_cli("--write-baseline", "baseline.json", ".", cwd=tmp_path)
    result = run_cli("--baseline", "baseline.json", ".", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "no problems in 1 file\n"
    _write(tmp_path, "一、总体情况\n\n" + REPORT + "下一步，**镇将继续推进。\n")
    findings = cli_json("--baseline", "baseline.json", ".", cwd=tmp_path)
    assert [(f["line"], f["rule"]) for f in findings] == [(5, "placeholder-stars")]


def test_duplicates_are_matched_by_count(tmp_path):
    line = "全县共有xx个村。\n"
    _write(tmp_path, line * 2)
    # (the same line twice is also a pasted-twice line: only the placeholder counts here)
    run_cli("--select", "placeholder", "--write-baseline", "b.json", ".", cwd=tmp_path)
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"][0]["count"] == 2
    _write(tmp_path, line * 3)
    findings = cli_json("--select", "placeholder", "--baseline", "b.json", ".", cwd=tmp_path)
    assert [f["line"] for f in findings] == [3]


def test_baseline_matches_by_path_and_rule(tmp_path):
    _write(tmp_path, REPORT)
    run_cli("--write-baseline", "b.json", ".", cwd=tmp_path)
    _write(tmp_path, REPORT, name="b.txt")  # same text, another file: new
    findings = cli_json("--baseline", "b.json", ".", cwd=tmp_path)
    assert {f["path"] for f in findings} == {"b.txt"} and len(findings) == 2
    findings = cli_json("--baseline", "b.json", "--ignore", "placeholder-stars", ".", cwd=tmp_path)
    assert [f["rule"] for f in findings] == ["placeholder-x"]


def test_baseline_on_the_seeds_hides_everything(tmp_path):
    baseline = tmp_path / "seeds.json"
    assert run_cli("--write-baseline", str(baseline), "seeds").returncode == 0
    assert cli_json("--baseline", str(baseline), "seeds") == []
    count = sum(entry["count"] for entry in json.loads(baseline.read_text(encoding="utf-8"))["findings"])
    assert count == len(cli_json("seeds")) and SEEDS.is_dir()


def test_missing_or_bad_baseline_is_a_one_line_error(tmp_path):
    _write(tmp_path, REPORT)
    result = run_cli("--baseline", "missing.json", ".", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("lint-reports: error: missing.json: baseline not found "
                             "(create it with --write-baseline missing.json)\n")
    (tmp_path / "broken.json").write_text('{\n  "tool": "lint-reports",\n  "findings": [\n', encoding="utf-8")
    result = run_cli("--baseline", "broken.json", ".", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("lint-reports: error: broken.json:4: baseline is not valid JSON")
    for content in ('[]', '{"tool": "eslint", "findings": []}', '{"tool": "lint-reports", "version": 1, "findings": [{"rule": 1}]}',
                    '{"tool": "lint-reports", "version": 9, "findings": []}'):
        (tmp_path / "other.json").write_text(content, encoding="utf-8")
        result = run_cli("--baseline", "other.json", ".", cwd=tmp_path)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("lint-reports: error: other.json: "), result.stderr
    (tmp_path / "gbk.json").write_bytes("{\"中\"".encode("gbk"))
    result = run_cli("--baseline", "gbk.json", ".", cwd=tmp_path)
    assert result.returncode == 2 and "gbk.json: cannot read baseline: not UTF-8 text" in result.stderr


def test_unwritable_baseline_is_a_one_line_error(tmp_path):
    _write(tmp_path, REPORT)
    result = run_cli("--write-baseline", "no/such/dir/b.json", ".", cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "no/such/dir/b.json: cannot write baseline" in result.stderr


def test_anchor_survives_a_round_trip_through_json():
    """A result cache stores findings as JSON; baselines and fingerprints must still work."""
    import dataclasses

    from conftest import lint_text
    from lint_reports.core.baseline import dumps
    from lint_reports.core.finding import Finding
    from lint_reports.core.fingerprint import fingerprints

    findings = lint_text(REPORT)
    restored = [Finding(**json.loads(json.dumps(dataclasses.asdict(f)))) for f in findings]
    assert dumps(restored) == dumps(findings)
    assert fingerprints(restored) == fingerprints(findings)


def test_write_baseline_with_an_unreadable_argument_still_records_and_exits_2(tmp_path):
    _write(tmp_path, REPORT)
    result = run_cli("--write-baseline", "b.json", "a.txt", "missing.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "missing.txt: no such file or directory" in result.stderr
    assert len(json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["findings"]) == 2
