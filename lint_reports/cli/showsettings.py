"""What the config means for a file, shown: `--show-settings FILE`, `--show-files`, and
`--check-packs` (a pack's examples run as its tests).

Each of these answers a question a user has when a finding is, or is not, where they
expect it: which config applied (and what it extends), in which order the layers were
applied, which rules run at which severity and why the others do not, which year the file
speaks from and why, and which files a run would check at all.
"""
from __future__ import annotations

from pathlib import Path

from ..io.escape import visible


def _shown_path(path) -> str:
    """A path relative to the current directory when it is below it, else as it is."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except (ValueError, OSError, RuntimeError):
        return str(path)


def _globs(globs) -> str:
    return ", ".join(str(g) for g in globs) or "(none)"


def show_settings(linter, resolver, path: str, fail_level=None) -> tuple:
    """(text, None) for --show-settings, or (None, one-line error). `fail_level`: --fail-level."""
    from ..config.settings import ConfigError
    from ..config.packs import PackError

    file_path = Path(path)
    try:
        present = file_path.exists() or file_path.is_symlink()
    except OSError as exc:
        return None, f"{path}: cannot read: {exc.strerror or exc}"
    if not present:
        return None, f"{path}: no such file or directory"
    if file_path.is_dir():  # its own parent's config, per-file entries and year would be shown: not its files'
        return None, (f"{path}: a directory: --show-settings shows what applies to one file (its closest config, "
                      "per-file entries, year); name a file in it (--show-files lists them)")
    try:
        config = resolver.for_file(file_path)
        error = resolver.checked_error(config)
        if error:
            return None, error
        file_linter = linter.for_config(config)
    except (ConfigError, PackError) as exc:
        return None, str(exc)
    rel = file_linter.rel_for(file_path)
    lines = [f"settings for {path}"]
    if resolver.isolated:
        lines.append("config: none (--no-config / --isolated)")
    elif config.path is None:
        lines.append("config: none found (the defaults)")
    else:
        how = "given with --config" if resolver.explicit is not None else "the closest to the file"
        lines.append(f"config: {_shown_path(config.path)} ({how})")
    lines.append("layers, in the order applied (a later one wins):")
    layers = ["the built-in defaults" if config.use_default_packs else "no built-in packs (extends: none)"]
    layers += [_shown_path(source) if not str(source).startswith("--config") else str(source) for source in config.sources]
    layers += [f"per-file '{entry.pattern}' ({_shown_path(entry.source)}:{entry.line})" for entry in config.entries_for(rel)]
    cli = [f"--select {','.join(linter.options.select)}"] if linter.options.select else []
    cli += [f"--ignore {','.join(linter.options.ignore)}"] if linter.options.ignore else []
    cli += [f"--year {linter.options.year}"] if linter.options.year else []
    if cli:
        layers.append("the command line: " + " ".join(cli))
    lines += [f"  {number}. {layer}" for number, layer in enumerate(layers, 1)]
    lines.append(f"path for globs: {rel} (relative to {_shown_path(config.base_dir)})")
    packs = (["built-in"] if config.use_default_packs else []) + [_shown_path(p) for p in config.packs]
    lines.append(f"packs: {', '.join(packs) or '(none)'}")
    lines.append(f"files: include {_globs(config.include)}; exclude {_globs(config.exclude)}")
    excluded = config.excluded_by(rel)
    if excluded is not None:
        lines.append(f"  this file is excluded by '{excluded}': a directory walk skips it (so does --force-exclude)")
    settings = file_linter.settings_for(rel)
    lines.append(f"year: {_year_line(file_linter, settings, file_path)}")
    lines.append(f"fail-level: {fail_level} (--fail-level)" if fail_level else f"fail-level: {config.fail_level}")
    if settings.allow:
        lines.append(f"allow: {', '.join(settings.allow)}")
    states = file_linter.rule_states(rel)
    on = [(rule, level, why) for rule, level, why in states if level is not None]
    off = [(rule, why) for rule, level, why in states if level is None]
    lines.append(f"rules on ({len(on)}):")
    width = max((len(rule.id) for rule, _, _ in states), default=0)
    lines += [f"  {rule.id.ljust(width)}  {level.ljust(7)}  {why}" for rule, level, why in on]
    lines.append(f"rules off ({len(off)}):")
    lines += [f"  {rule.id.ljust(width)}  {why}{_stated_by(file_linter, config, rel, rule, why)}" for rule, why in off]
    return visible("\n".join(lines) + "\n", keep_layout=True), None


def _stated_by(linter, config, rel: str, rule, why: str) -> str:
    """Where the `ignore` or `select` that turned `rule` off was written."""
    key = {"ignored": "ignore", "not selected": "select"}.get(why)
    if key is None:
        return ""
    names = (rule.id, rule.category, "all")
    if key == "ignore" and any(name in linter.options.ignore for name in names):
        return " (--ignore)"
    if key == "select" and linter.options.select:
        return " (--select)"
    for entry in reversed(config.entries_for(rel)):
        if key in entry.settings and (key == "select" or any(n in entry.settings[key] for n in names)):
            return f" (per-file '{entry.pattern}', {_shown_path(entry.source)}:{entry.line})"
    for name in names if key == "ignore" else ("",):
        source, line = config.lines.get(f"{key}:{name}" if name else key, (None, 0))
        if source:
            shown = source if source.startswith("--config") else _shown_path(source)
            return f" ({key}: in {shown}{f':{line}' if line else ''})"
    return ""


def _year_line(linter, settings, path: Path) -> str:
    """The year the file speaks from and why: from outside (config, --year), else as read
    from the file (as --explain-year decides it)."""
    if settings.year:
        return f"{settings.year} ({settings.year_reason})"
    from ..io import safeio
    from ..io.load import MAX_BYTES, load_document

    try:  # a FIFO named here must not block, nor /dev/zero fill the memory
        data = safeio.read_regular(path, MAX_BYTES).data
    except OSError as exc:
        return f"not fixed by the config; the file cannot be read ({safeio.describe(exc)})"
    from ..core.document import DecodeError
    from ..kinds.era.knowledge import knowledge_from_data
    from .explain_year import summary

    try:
        doc = load_document(str(path), data)
    except Exception as exc:  # DecodeError, a .docx without the extra: say so, not crash
        reason = exc if isinstance(exc, DecodeError) else type(exc).__name__
        return f"not fixed by the config; the file is not read as text ({reason})"
    text = summary(doc, knowledge_from_data(linter.data))
    return "not fixed by the config; read from the file: " + text.split(": ", 1)[-1]


# --- --check-packs ----------------------------------------------------------------------

def check_packs(config, names) -> tuple:
    """(lines for standard output, exit status) of `--check-packs [PACK ...]`: every failing
    example of the named packs (default: the shipped packs and the config's own) as a
    finding-like line, then a summary. Status 1 if one failed, 2 if a pack cannot be used."""
    from ..config.packs import PackError, example_failures, load_builtin_packs, load_pack_file, prepare_rules
    from ..config.settings import Config
    from ..core.engine import Linter

    named = [Path(name).resolve() for name in names]
    try:
        packs = load_builtin_packs()
        extra = []
        for path in list(config.packs) + named:
            if path not in extra:
                extra.append(path)
        packs += [load_pack_file(path) for path in extra]
        rules = prepare_rules(packs)
    except PackError as exc:
        return [], str(exc)
    checked = [pack for pack in packs if Path(pack.path).resolve() in named] if named else packs
    failures = example_failures(Linter(Config(), prepared=(packs, rules)), rules, checked)
    lines = []
    for failure in failures:
        said = f" — {failure.messages[0]}" if failure.messages else ""
        lines.append(visible(f"{failure.pack}:{failure.line}:1: error {failure.rule} {failure.describe()}{said}"))
    paths = {pack.path for pack in checked}
    examples = sum(len(rule.examples.get("bad", [])) + len(rule.examples.get("good", []))
                   for rule in rules if rule.pack in paths)
    packs_noun = "pack" if len(checked) == 1 else "packs"
    if failures:
        lines.append(f"{len(failures)} of {examples} examples failed in {len(checked)} {packs_noun}")
    else:
        lines.append(f"all {examples} examples pass in {len(checked)} {packs_noun}")
    return lines, None
