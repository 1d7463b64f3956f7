// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// The loop needs lo <= hi when it starts: "lower bound must not exceed upper bound".

method Upto(n: int) returns (s: int)
{
  s := 0;
  for i := n to 10 {
    s := s + 1;
  }
}

method Downfrom(n: int)
{
  for i := 10 downto n { }
}
