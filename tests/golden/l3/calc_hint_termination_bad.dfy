// A lemma called in a hint is a call: calling the lemma itself on the same argument does
// not terminate.
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumFormula(n: nat)
  ensures 2 * Sum(n) == n * (n + 1)
{
  calc {
    2 * Sum(n);
    == { SumFormula(n); }
    n * (n + 1);
  }
}
