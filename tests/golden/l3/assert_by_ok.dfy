// `assert E by { ... }`: the proof runs in its own scope, and afterwards E is known.
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

method Check(n: nat)
{
  assert 2 * Sum(n) == n * (n + 1) by {
    SumFormula(n);
  }
  assert 2 * Sum(n) == n * (n + 1);
  assert Sum(3) == 6 by {
    assert Sum(1) == 1;
    var two := Sum(2);
    assert two == 3;
  }
}
