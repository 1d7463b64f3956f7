// arrays are invariant: an array<nat> and an array<int> cannot be compared
method Same(a: array<nat>, b: array<int>) returns (same: bool)
{
  same := a == b;
}
