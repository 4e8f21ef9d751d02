#!/usr/bin/env python3
"""Function lengths and file sizes of the product code, for comparing two commits.

    scripts/fn-lengths.py [REPO_DIR]      (default: the current directory)

Counts every `fn` with a body in REPO_DIR/src/**/*.rs, unit tests left out (`#[cfg(test)]`
modules and files named tests.rs): a function's length is its lines from the `fn` line to
its closing brace. Prints the count, median, 90th percentile and longest functions, then
the largest files (all lines). Comments and strings are blanked before parsing, so braces
inside them do not count. Only the standard library is used.
"""

import pathlib
import re
import statistics
import sys


def blank(text):
    """The text with comments, strings and char literals replaced by spaces (newlines kept)."""
    out, i, n = [], 0, len(text)

    def skip_to(j):
        out.append("".join(c if c == "\n" else " " for c in text[i:j]))
        return j

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = skip_to(text.find("\n", i) if "\n" in text[i:] else n)
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            i = skip_to(j)
        elif (m := re.match(r'b?r(#*)"', text[i:])) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = text.find('"' + m.group(1), i + m.end())
            i = skip_to(n if end < 0 else end + 1 + len(m.group(1)))
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            i = skip_to(j + 1)
        elif c == "'" and (m := re.match(r"'(\\.[^']*|[^'\\])'", text[i:])):
            i = skip_to(i + m.end())
        else:
            out.append(c)
            i += 1
    return "".join(out)


def matching(text, open_at):
    """Index of the brace that closes the one at `open_at`."""
    depth = 0
    for j in range(open_at, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(text) - 1


def without_test_modules(text):
    for m in reversed(list(re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text))):
        end = matching(text, m.end() - 1)
        text = text[: m.start()] + "".join("\n" if c == "\n" else " " for c in text[m.start() : end + 1]) + text[end + 1 :]
    return text


def functions(text):
    """(name, first line, lines) of every fn with a body."""
    for m in re.finditer(r"\bfn\s+(\w+)", text):
        depth, j = 0, m.end()
        while j < len(text):
            c = text[j]
            if c in "([<":
                depth += 1
            elif c in ")]>" and not (c == ">" and text[j - 1] == "-"):
                depth -= 1
            elif c == ";" and depth <= 0:
                break
            elif c == "{" and depth <= 0:
                end = matching(text, j)
                first = text.count("\n", 0, m.start()) + 1
                yield m.group(1), first, text.count("\n", m.start(), end) + 1
                break
            j += 1


def main():
    repo = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    files = sorted(p for p in (repo / "src").rglob("*.rs") if p.name != "tests.rs")
    lengths, sizes = [], []
    for path in files:
        raw = path.read_text(encoding="utf-8")
        sizes.append((raw.count("\n"), path.relative_to(repo)))
        for name, line, n in functions(without_test_modules(blank(raw))):
            lengths.append((n, f"{path.relative_to(repo)}:{line} {name}"))
    ns = sorted(n for n, _ in lengths)
    p90 = ns[min(len(ns) - 1, int(round(0.9 * len(ns))) - 1)]
    print(f"functions: {len(ns)}  median: {statistics.median(ns):g} lines  p90: {p90} lines  max: {ns[-1]} lines")
    for n, where in sorted(lengths, reverse=True)[:5]:
        print(f"  {n:4} {where}")
    print(f"files: {len(sizes)}  total: {sum(s for s, _ in sizes)} lines  median file: {statistics.median(s for s, _ in sizes):g} lines")
    for n, path in sorted(sizes, reverse=True)[:3]:
        print(f"  {n:5} {path}")


if __name__ == "__main__":
    main()
