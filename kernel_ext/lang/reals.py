"""Dafny's `real` numbers, written once for every stage: how a literal is read, how a value
is written (as Dafny's runtime prints it), and the rules of its conversions.

Values are exact rationals (`Fraction`), never floats. Dafny writes a real whose decimal
expansion ends as a decimal with at least one digit after the point (`1.5`, `-0.25`,
`3.0`) and any other as a quotient (`(1.0 / 3.0)`); the interpreter, the counterexample
traces and the printer all write them so.
"""

from __future__ import annotations

import math
from fractions import Fraction

ZERO = Fraction(0)

# Dafny's words when `r as int` is applied to a real that may have a fractional part.
NOT_AN_INTEGER = (
    "the real-based number must be an integer (if you want truncation, apply .Floor to the real-based number)"
)


def parse_real(text: str) -> Fraction:
    """A real literal as Dafny writes it (`1.5`, `1_000.25`): digits on both sides of the point."""
    whole, _, fraction = text.replace("_", "").partition(".")
    if not whole.isdigit() or not fraction.isdigit():
        raise ValueError(f"not a real literal: {text!r}")
    return Fraction(int(whole + fraction), 10 ** len(fraction))


def show_real(value: Fraction) -> str:
    """The value as Dafny prints a real: `1.5`, `-2.0`, `0.001`, or `(1.0 / 3.0)`."""
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return f"{numerator}.0"
    places = _decimal_places(denominator)
    if places is None:
        return f"({numerator}.0 / {denominator}.0)"
    digits = str(abs(numerator) * 10**places // denominator).rjust(places + 1, "0")
    sign = "-" if numerator < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def _decimal_places(denominator: int) -> int | None:
    """How many decimal places a fraction with this (reduced) denominator needs, or None if
    its decimal expansion does not end (a prime factor other than 2 and 5)."""
    rest, twos, fives = denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    return max(twos, fives) if rest == 1 else None


def floor(value: Fraction) -> int:
    """`r.Floor`: the greatest integer not above r (Z3's `to_int`)."""
    return math.floor(value)


def is_integer(value: Fraction) -> bool:
    """What `r as int` requires of r."""
    return value.denominator == 1
