// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// The index is in scope in the invariants and the body only.

method M(n: int) returns (r: int)
  requires n >= 0
{
  for i := 0 to n { }
  r := i;
}
