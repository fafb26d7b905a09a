"""autocorrect-py's lint over files, in a whole Python process, as a user would run it.

Usage: python bench/autocorrect_lint.py FILE...   (prints the number of lines it flags)
Runs in the bench-only environment (bench/.venv), never in the project's.
"""
import sys

import autocorrect_py


def main(paths) -> int:
    flagged = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        result = autocorrect_py.lint_for(text, path)
        flagged += len(result.lines)
    print(flagged)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
