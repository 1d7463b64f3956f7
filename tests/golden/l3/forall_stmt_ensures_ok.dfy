// A forall statement with an ensures clause: the body proves it for an arbitrary value in
// the range; afterwards it is known for all of them. Its lemma calls are recursive calls.
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

method Formula(n: nat)
{
  forall i: int | 0 <= i < n ensures 2 * Sum(i) == i * (i + 1) {
    SumFormula(i);
  }
  if n > 10 {
    assert 2 * Sum(10) == 110;
  }
}

lemma Below(n: nat)
  ensures forall k :: 0 <= k < n ==> Sum(k) < Sum(n)
  decreases n
{
  forall k: int | 0 <= k < n ensures Sum(k) < Sum(n) {
    if k < n - 1 {
      Below(n - 1);
      assert Sum(k) < Sum(n - 1);
    }
  }
}

method Shifted(s: seq<int>)
  requires forall i :: 0 <= i < |s| ==> s[i] >= 0
{
  forall i: int | 0 <= i < |s| ensures s[i] + 1 > 0 {
  }
  assert forall i :: 0 <= i < |s| ==> s[i] + 1 > 0;
}
