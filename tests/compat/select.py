"""Which Dafny lit tests are compared, by two written rules.

**The RUN rule.** A test is taken when its `// RUN:` lines do nothing but verify the file once
and compare the output with its `.expect` file:

- one verification line: `%verify OPTIONS "%s" > "%t"` (perhaps after `%exits-with N` or `!`,
  with `>` or `&>`), or `%testDafnyForEachResolver [--expect-exit-code=N] "%s" [-- OPTIONS]`;
- at most one more line, `%diff "%s.expect" "%t"`;
- every option in NEUTRAL_OPTIONS: options that only silence warnings, pick the type checker's
  version, or drop checks MiniDafny does not make anyway. Others (`--print-ranges`,
  `--manual-triggers`, solver options, time and resource limits, printing options,
  `--function-syntax`, `--standard-libraries`, ...) change what is checked or what is printed,
  so the recorded output is not a plain verification's.

**The lexical filter.** Of those, a test is left out when its text (comments and string
literals removed) uses a word of FAR_WORDS: classes and objects, traits, iterators, refinement
and module imports and exports, `include`, co-induction and extreme predicates, two-state
functions and `{:extern}`. MiniDafny has none of them and a test built on them says nothing
about it. Every other test is run, even when it uses something MiniDafny refuses (`module`,
`const`, `type`, `map`, `string`, attributes, `function method`, ...): such a test is close to
the subset, and MiniDafny's refusal is counted and grouped by its message. (`ghost` is part
of MiniDafny, so it is not a far word.)
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

# Options after which the recorded output is still that of a plain verification of the subset.
NEUTRAL_OPTIONS = frozenset(
    {
        "--allow-deprecation",
        "--allow-warnings",
        "--allow-axioms",
        # Dafny's definite-assignment checks, which MiniDafny does not make: relaxing them
        # brings Dafny closer to MiniDafny
        "--relax-definite-assignment",
        # the type checker's version and its extensions for traits and newtypes
        "--type-system-refresh",
        "--type-system-refresh=true",
        "--type-system-refresh=false",
        "--general-newtypes",
        "--general-newtypes=true",
        "--general-newtypes=false",
        "--general-traits=legacy",
        "--general-traits=datatype",
        "--general-traits=full",
        # characters, which MiniDafny does not have
        "--unicode-char=false",
        "--unicode-char=true",
        # each assertion proved on its own: the same errors, reported one by one
        "--isolate-assertions",
    }
)
# Options written as two words.
PAIRED_OPTIONS = {"--unicode-char": ("false", "true")}

FAR_WORDS = (
    "class",
    "trait",
    "object",
    "this",
    "null",
    "constructor",
    "static",
    "iterator",
    "yield",
    "refines",
    "export",
    "include",
    "codatatype",
    "copredicate",
    "colemma",
    "inductive",
    "least",
    "greatest",
    "twostate",
)
FAR_PHRASES = {
    "abstract module": re.compile(r"\babstract\s+module\b"),
    "{:extern}": re.compile(r"\{\s*:\s*extern\b"),
}
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_'?]*")
VERIFY_TARGET = re.compile(r'^(?:"%s"|%s)$')
OUTPUT = re.compile(r"^(?:>|&>)$")


@dataclass(frozen=True)
class Choice:
    """Whether a test is compared, and if not, why (a short, groupable reason)."""

    taken: bool
    reason: str = ""


TAKEN = Choice(True)


def run_lines(text: str) -> list[str]:
    """The commands of a test's `RUN:` lines (lit reads them anywhere in the file)."""
    return [
        line.split("RUN:", 1)[1].strip() for line in text.splitlines() if re.match(r"^\s*//\s*RUN:", line)
    ]


def check_run_lines(lines: list[str]) -> Choice:
    """The RUN rule (see the module's docstring)."""
    if not lines:
        return Choice(False, "no RUN line")
    verify = [line for line in lines if not _is_diff(line)]
    if len(verify) != 1 or len(lines) - len(verify) > 1:
        return Choice(False, "RUN: several commands")
    try:
        words = shlex.split(verify[0], posix=True)
    except ValueError:
        return Choice(False, "RUN: not understood")
    return _check_verify_command(words)


def _is_diff(line: str) -> bool:
    try:
        words = shlex.split(line)
    except ValueError:
        return False
    return words == ["%diff", "%s.expect", "%t"]


def _check_verify_command(words: list[str]) -> Choice:
    if words[:1] == ["!"]:
        words = words[1:]
    elif words[:1] == ["%exits-with"] and len(words) > 1:
        words = words[2:]
    if not words:
        return Choice(False, "RUN: not understood")
    command, rest = words[0], words[1:]
    if command == "%verify":
        if (
            len(rest) < 3
            or not OUTPUT.match(rest[-2])
            or rest[-1] != "%t"
            or not VERIFY_TARGET.match(rest[-3])
        ):
            return Choice(False, "RUN: %verify with another output or input")
        return _check_options(rest[:-3])
    if command == "%testDafnyForEachResolver":
        before, _, after = _split_at_dashes(rest)
        before = [word for word in before if not word.startswith("--expect-exit-code=")]
        if before != ["%s"]:
            return Choice(False, "RUN: %testDafnyForEachResolver with other arguments")
        return _check_options(after)
    return Choice(False, f"RUN: {command}")


def _split_at_dashes(words: list[str]) -> tuple[list[str], bool, list[str]]:
    if "--" in words:
        index = words.index("--")
        return words[:index], True, words[index + 1 :]
    return words, False, []


def _check_options(options: list[str]) -> Choice:
    index = 0
    while index < len(options):
        option = options[index]
        if (
            option in PAIRED_OPTIONS
            and index + 1 < len(options)
            and options[index + 1] in PAIRED_OPTIONS[option]
        ):
            index += 2
            continue
        if option not in NEUTRAL_OPTIONS:
            name = option.split("=", 1)[0].split(":", 1)[0]
            return Choice(False, f"option {name}")
        index += 1
    return TAKEN


def strip_comments_and_strings(text: str) -> str:
    """The text with comments (`//`, nested `/* */`) and string literals blanked out, lines kept."""
    out: list[str] = []
    index, depth, length = 0, 0, len(text)
    while index < length:
        two = text[index : index + 2]
        char = text[index]
        if depth:
            if two == "/*":
                depth, index = depth + 1, index + 2
            elif two == "*/":
                depth, index = depth - 1, index + 2
            else:
                out.append("\n" if char == "\n" else " ")
                index += 1
            continue
        if two == "/*":
            depth, index = 1, index + 2
        elif two == "//":
            end = text.find("\n", index)
            index = length if end < 0 else end
        elif char == '"' or two == '@"':
            index = _skip_string(text, index, out)
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _skip_string(text: str, index: int, out: list[str]) -> int:
    verbatim = text[index] == "@"
    index += 2 if verbatim else 1
    while index < len(text):
        char = text[index]
        doubled_quote = verbatim and text[index : index + 2] == '""'
        if doubled_quote or (not verbatim and char == "\\"):
            index += 2  # an escape: `""` in a verbatim string, a backslash and a character in another
        elif char == '"':
            out.append('""')
            return index + 1
        else:
            if char == "\n":
                out.append("\n")
            index += 1
    return index


def far_features(text: str) -> list[str]:
    """The FAR_WORDS and FAR_PHRASES a program uses, in the order of FAR_WORDS."""
    code = strip_comments_and_strings(text)
    words = set(WORD.findall(code))
    found = [word for word in FAR_WORDS if word in words]
    found += [name for name, pattern in FAR_PHRASES.items() if pattern.search(code)]
    return found


def choose(text: str, has_expect: bool) -> Choice:
    """Both rules, for a test's text."""
    if not has_expect:
        return Choice(False, "no .expect file")
    chosen = check_run_lines(run_lines(text))
    if not chosen.taken:
        return chosen
    far = far_features(text)
    if far:
        return Choice(False, f"uses `{far[0]}`")
    return TAKEN
