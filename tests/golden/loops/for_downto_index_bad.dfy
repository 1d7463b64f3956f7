// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// With downto the body sees i = hi - 1, ..., lo: a[i - 1] reads a[-1] when i is 0.

method Last(a: array<int>) returns (s: int)
{
  s := 0;
  for i := a.Length downto 0 {
    s := s + a[i - 1];
  }
}
