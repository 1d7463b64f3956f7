// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// "If the end-expression is not *, then no explicit decreases is allowed, since such a loop
// is already known to terminate."

method M(n: int)
  requires n >= 0
{
  for i := 0 to n
    decreases n - i
  {
  }
}
