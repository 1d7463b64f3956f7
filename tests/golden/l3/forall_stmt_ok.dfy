// A forall statement whose body is one lemma call proves the lemma's postcondition for
// every value in its range.
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

method AllAtLeast(n: nat)
{
  forall i: int | 0 <= i < n {
    SumAtLeast(i);
  }
  assert forall i :: 0 <= i < n ==> Sum(i) >= i;
  if n > 7 {
    assert Sum(7) >= 7;
  }
}

lemma Monotone(i: nat, j: nat)
  requires i <= j
  ensures Sum(i) <= Sum(j)
  decreases j - i
{
  if i < j {
    Monotone(i + 1, j);
  }
}

method Pairs(n: nat)
{
  forall i: int, j: int | 0 <= i <= j < n {
    Monotone(i, j);
  }
  assert forall i, j :: 0 <= i <= j < n ==> Sum(i) <= Sum(j);
}
