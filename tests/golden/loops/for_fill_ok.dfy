// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.

method Fill(a: array<int>, b: array<int>, v: int)
  requires a != b
  modifies a
  ensures forall k :: 0 <= k < a.Length ==> a[k] == v
  ensures b[..] == old(b[..])
{
  for i := 0 to a.Length
    invariant forall k :: 0 <= k < i ==> a[k] == v
  {
    a[i] := v;
  }
}

method Reverse(a: array<int>) returns (r: array<int>)
  ensures r.Length == a.Length
  ensures forall k :: 0 <= k < a.Length ==> r[k] == a[a.Length - 1 - k]
{
  r := new int[a.Length];
  for i := 0 to a.Length
    invariant forall k :: 0 <= k < i ==> r[k] == a[a.Length - 1 - k]
  {
    r[i] := a[a.Length - 1 - i];
  }
}
