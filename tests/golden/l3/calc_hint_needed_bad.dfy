// The middle step needs the lemma as a hint: `== { SumFormula(n); }`.
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

lemma SumNext(n: nat)
  ensures 2 * Sum(n + 1) == (n + 1) * (n + 2)
{
  calc {
    2 * Sum(n + 1);
    == 2 * (n + 1) + 2 * Sum(n);
    == 2 * (n + 1) + n * (n + 1);
    == (n + 1) * (n + 2);
  }
}
