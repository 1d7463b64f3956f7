// What a hint establishes stays in the hint: after the calc only its result is known,
// here that 2 * Sum(n) >= 0, not the lemma's 2 * Sum(n) == n * (n + 1).
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumFormula(n: nat)
  ensures 2 * Sum(n) == n * (n + 1)
{
  if n > 0 {
    SumFormula(n - 1);
  }
}

method Use(n: nat)
{
  calc {
    2 * Sum(n);
    == { SumFormula(n); }
       n * (n + 1);
    >= 0;
  }
  assert 2 * Sum(n) >= 0;
  assert 2 * Sum(n) == n * (n + 1);
}
