// precondition of a lemma call fails (k may be 0)
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
  SumPositive(k);
  assert Sum(k) > 0;
}
