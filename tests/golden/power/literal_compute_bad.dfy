// Computing on literals proves the true value only.
function Fact(n: nat): nat { if n == 0 then 1 else n * Fact(n - 1) }

function Sum(s: seq<int>): int { if |s| == 0 then 0 else s[0] + Sum(s[1..]) }

method WrongFact() {
  assert Fact(5) == 121;
}

method WrongSum() {
  assert Sum([1, 2, 3]) == 7;
}

method NotALiteral(n: nat) {
  assert Fact(n) >= n; // not computed: n is no literal, and fuel runs out
}
