// Elements read from an array<nat> are known to be nats, in one read and under a quantifier,
// after the array is written, after a loop that writes it, and through a[..].
method Reads(a: array<nat>)
  requires a.Length > 0
  modifies a
{
  assert a[0] >= 0;
  assert forall i :: 0 <= i < a.Length ==> a[i] >= 0;
  var s := a[..];
  assert forall i :: 0 <= i < |s| ==> s[i] >= 0;
  a[0] := 7;
  assert forall i :: 0 <= i < a.Length ==> a[i] >= 0;
  var k := 0;
  while k < a.Length
    invariant 0 <= k <= a.Length
  {
    a[k] := a[k] + 1;
    k := k + 1;
  }
  assert forall i :: 0 <= i < a.Length ==> a[i] >= 1 || a[i] >= 0;
}

method Fresh(n: nat) returns (b: array<nat>)
  ensures b.Length == n
  ensures forall i :: 0 <= i < b.Length ==> b[i] >= 0
{
  b := new nat[n];
}
