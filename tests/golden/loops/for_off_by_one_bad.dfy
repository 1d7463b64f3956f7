// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// i runs 0, ..., n - 1: after the body that adds i, s is the sum up to i, not up to i - 1.

method SumTo(n: int) returns (s: int)
  requires n >= 0
  ensures s == n * (n + 1) / 2
{
  s := 0;
  for i := 0 to n
    invariant s == i * (i + 1) / 2
  {
    s := s + i;
  }
}
