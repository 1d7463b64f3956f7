// quantifiers over nat: the range is part of the type
method M(a: array<int>)
  requires forall k: nat :: k < a.Length ==> a[k] > 0
{
  assert forall k: nat :: k < 3 ==> k >= 0;
  assert !(exists k: nat :: k < 0);
  if a.Length > 0 {
    assert a[0] > 0;
  }
}
