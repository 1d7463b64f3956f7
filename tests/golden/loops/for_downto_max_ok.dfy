// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.

method Max(a: array<int>) returns (m: int)
  requires a.Length > 0
  ensures forall k :: 0 <= k < a.Length ==> a[k] <= m
  ensures exists k :: 0 <= k < a.Length && a[k] == m
{
  m := a[0];
  for i := a.Length downto 1
    invariant forall k :: i <= k < a.Length ==> a[k] <= m
    invariant a[0] <= m
    invariant exists k :: 0 <= k < a.Length && a[k] == m
  {
    if a[i] > m {
      m := a[i];
    }
  }
}
