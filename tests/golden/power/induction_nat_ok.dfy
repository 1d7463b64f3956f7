// Lemmas about nat parameters proved by Dafny's automatic induction, with empty bodies.
function Sum(n: nat): nat { if n == 0 then 0 else n + Sum(n - 1) }

lemma SumFormula(n: nat)
  ensures Sum(n) == n * (n + 1) / 2
{ }

function Pow2(n: nat): nat { if n == 0 then 1 else 2 * Pow2(n - 1) }

lemma Pow2Positive(n: nat)
  ensures Pow2(n) > 0
{ }

lemma Pow2Grows(n: nat)
  ensures Pow2(n) >= n + 1
{ }

function Fact(n: nat): nat { if n == 0 then 1 else n * Fact(n - 1) }

lemma FactPositive(n: nat)
  ensures Fact(n) >= 1
{ }

method UseThem(k: nat) {
  SumFormula(k);
  assert Sum(k) == k * (k + 1) / 2;
}
