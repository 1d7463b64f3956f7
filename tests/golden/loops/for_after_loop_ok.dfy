// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// After the loop the invariant holds with the index at hi (at lo for downto).

method Twice(n: nat) returns (s: int)
  ensures s == 2 * n
{
  s := 0;
  for i := 0 to n
    invariant s == 2 * i
  {
    s := s + 2;
  }
  assert s == 2 * n;
}

method Down(n: nat) returns (s: int)
  ensures s == n
{
  s := 0;
  for i := n downto 0
    invariant s == n - i
  {
    s := s + 1;
  }
}
