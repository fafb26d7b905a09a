"""The floor: read each file, decode it and scan it once with one combined regular
expression, in a whole Python process. A Python linter cannot beat this.

Usage: python bench/floor.py FILE...   (prints the number of matches)
"""
import re
import sys

# One alternation of the kinds of thing lint-reports looks for (template slots, web
# furniture, outdated congress names), every branch led by a literal so `re` can skip
# ahead quickly: the cheapest useful scan there is.
FLOOR = re.compile(
    r"[*＊]{2,}|[xX×]{2,}|下载文档|一键复制|推荐阅读|##paid|https?://|www\.|十[七八]届"
)


def main(paths) -> int:
    count = 0
    for path in paths:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        for _ in FLOOR.finditer(text):
            count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
