"""Submissions to every exercise of hw2-hw4 and the score each must get: the reference, and at
least two wrong ones. Each entry replaces the solution regions of the released cell, in order
(None keeps the reference's text of that region); `None` for the whole entry is the reference."""

from __future__ import annotations

Case = tuple[str, list[str | None] | None, float]

CASES: dict[str, list[Case]] = {
    "hw2/01_clamp_spec": [
        ("the reference", None, 4.0),
        ("only a range", ["  requires lo <= hi\n  ensures lo <= y <= hi"], 3.0),
        ("ensures true", ["  ensures true"], 0.0),
        ("requires false", ["  requires false\n  ensures y == 0"], 0.0),
        ("no requires", ["  ensures lo <= y <= hi"], 0.0),
    ],
    "hw2/02_weakest_precondition": [
        ("the reference", None, 2.0),
        (
            "the same, written otherwise",
            ["  requires if x + y > 0 then 2 * x + 3 * y >= 11 else x <= -11"],
            2.0,
        ),
        ("too strong", ["  requires x > 100 && y > 100"], 0.0),
        ("too weak", ["  requires x + y > 0"], 0.0),
        ("requires false", ["  requires false"], 0.0),
    ],
    "hw2/03_fib_invariant": [
        ("the reference", None, 2.0),
        ("no bound on i", ["    invariant a == Fib(i) && b == Fib(i + 1)"], 0.0),
        ("only a", ["    invariant 0 <= i <= n\n    invariant a == Fib(i)"], 0.0),
    ],
    "hw2/04_termination": [
        ("the reference", None, 2.0),
        ("the sum", ["    decreases x + y"], 0.0),
        ("the wrong order", ["    decreases y, x"], 0.0),
    ],
    "hw2/05_recursion": [
        ("the reference", None, 2.0),
        ("one", ["  r := 1;"], 1.0),
        ("no recursion", ["  r := n;"], 0.0),
    ],
    "hw2/06_lemma_induction": [
        ("the reference", None, 3.0),
        ("no induction", [""], 0.0),
        ("an induction that does not decrease", ["  PowAdd(b, m, n);"], 0.0),
    ],
    "hw3/01_min_index": [
        ("the reference", None, 2.0),
        ("the first element", ["  m := 0;"], 1.33),
        (
            "a wrong invariant",
            [
                "  m := 0;\n  var i := 1;\n  while i < a.Length\n    invariant 1 <= i <= a.Length\n    invariant 0 <= m < i\n    invariant forall k :: 0 <= k <= i ==> a[m] <= a[k]\n  {\n    if a[i] < a[m] {\n      m := i;\n    }\n    i := i + 1;\n  }"
            ],
            0.0,
        ),
    ],
    "hw3/02_frame": [
        ("the reference", None, 2.0),
        (
            "the untouched part forgotten",
            [
                "  var i := 0;\n  while i < a.Length\n    invariant 0 <= i <= a.Length\n    invariant forall k :: 0 <= k < i ==> a[k] == old(a[k]) + 1\n  {\n    a[i] := a[i] + 1;\n    i := i + 1;\n  }"
            ],
            0.0,
        ),
        ("nothing done", [""], 0.0),
    ],
    "hw3/03_fresh_copy": [
        ("the reference", None, 3.0),
        (
            "a copy, not reversed",
            [
                "  b := new int[a.Length];\n  var i := 0;\n  while i < a.Length\n    invariant 0 <= i <= a.Length\n    invariant forall k :: 0 <= k < i ==> b[k] == a[k]\n  {\n    b[i] := a[i];\n    i := i + 1;\n  }"
            ],
            2.0,
        ),
        ("a itself", ["  b := a;"], 1.0),
    ],
    "hw3/04_count": [
        ("the reference", None, 2.0),
        ("counting everything", ["  c := |s|;"], 0.0),
        ("an unproved assertion", ["  c := 0;\n  assert c == Count(s, x);"], 0.0),
    ],
    "hw3/05_max_to_end": [
        ("the reference", None, 3.0),
        ("nothing done", [""], 1.5),
        (
            "overwrites instead of swapping",
            [
                "  var i := 0;\n  while i < a.Length - 1\n    invariant 0 <= i <= a.Length - 1\n    invariant forall k :: 0 <= k <= i ==> a[k] <= a[i]\n  {\n    if a[i] > a[i + 1] {\n      a[i + 1] := a[i];\n    }\n    i := i + 1;\n  }"
            ],
            1.5,
        ),
    ],
    "hw3/06_max_spec": [
        ("the reference", None, 4.0),
        ("only the range", ["  requires a.Length > 0\n  ensures 0 <= m < a.Length"], 1.0),
        ("ensures true", ["  ensures true"], 0.0),
        ("too strong a requires", ["  requires a.Length == 1\n  ensures m == 0"], 0.0),
    ],
    "hw4/01_mirror": [
        ("the reference", None, 2.0),
        ("no induction", [""], 0.0),
        (
            "one subtree only",
            ["  match t\n  case Leaf =>\n  case Node(l, v, r) =>\n    MirrorMirror(l);"],
            0.0,
        ),
    ],
    "hw4/02_reverse": [
        ("the reference", None, 3.0),
        (
            "no helpers, induction only",
            ["", "  match xs\n  case Nil =>\n  case Cons(x, rest) =>\n    ReverseReverse(rest);"],
            0.0,
        ),
        (
            "a helper without its proof",
            [
                "lemma ReverseAppend(xs: List, ys: List)\n  ensures Reverse(Append(xs, ys)) == Append(Reverse(ys), Reverse(xs))\n{\n}",
                "  match xs\n  case Nil =>\n  case Cons(x, rest) =>\n    ReverseAppend(Reverse(rest), Cons(x, Nil));\n    ReverseReverse(rest);",
            ],
            0.0,
        ),
    ],
    "hw4/03_simplify": [
        ("the reference", None, 3.0),
        (
            "additions only",
            [
                "  match e\n  case Const(n) =>\n  case Var =>\n  case Add(l, r) =>\n    SimplifyCorrect(l, x);\n    SimplifyCorrect(r, x);\n  case Mul(l, r) =>"
            ],
            0.0,
        ),
        ("no induction", [""], 0.0),
    ],
    "hw4/04_packets": [
        ("the reference", None, 4.0),
        (
            "no proof that the message is whole",
            [
                None,
                None,
                None,
                "  var packets := Split(message);\n  var arrived := Shuffle(packets, order);\n  received := Reassemble(arrived);",
            ],
            2.0,
        ),
        (
            "a reassembly that loses the order",
            [
                None,
                None,
                "  message := [];\n  var i := 0;\n  while i < |arrived|\n    invariant 0 <= i <= |arrived|\n    invariant |message| == i\n  {\n    message := message + [arrived[i].data];\n    i := i + 1;\n  }",
                None,
            ],
            0.0,
        ),
    ],
    "hw3/07_sorted_insert": [
        ("the reference", None, 2.0),
        ("appended at the end", ["  r := s + [x];"], 1.0),
        ("x forgotten", ["  r := s;"], 1.0),
    ],
}
