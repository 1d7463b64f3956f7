// precondition of a lemma call holds
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumPositive(n: nat)
  requires n > 0
  ensures Sum(n) > 0
{
}

method Test(k: nat)
{
  SumPositive(k + 1);
  assert Sum(k + 1) > 0;
}
