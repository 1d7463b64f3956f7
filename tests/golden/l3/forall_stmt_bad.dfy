// The ensures clause of this forall statement does not hold for i = 0 and i = 1.
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumAtLeast(n: nat)
  ensures Sum(n) >= n
{
  if n > 0 {
    SumAtLeast(n - 1);
  }
}

method Strict(n: nat)
{
  forall i: int | 0 <= i < n ensures Sum(i) > i {
    SumAtLeast(i);
  }
}
