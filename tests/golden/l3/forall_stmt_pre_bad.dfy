// The lemma is called for every i in the range, -1 included: not a nat.
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumAtLeast(n: int)
  requires n >= 0
  ensures Sum(n) >= n
{
  if n > 0 {
    SumAtLeast(n - 1);
  }
}

method FromMinusOne(n: nat)
{
  forall i: int | -1 <= i < n {
    SumAtLeast(i);
  }
}
