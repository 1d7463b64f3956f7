// `for` loops are not in Dafny 2.3: this follows the current Dafny reference manual (For Loops):
// `for i := lo to hi` runs i = lo, ..., hi - 1 and `for i := hi downto lo` runs i = hi - 1, ..., lo;
// lo <= hi is checked, the index is read-only and lies in [lo, hi] at the loop head.
// A for loop's body may write only what the method's modifies clause allows.

method Fill(a: array<int>)
{
  for i := 0 to a.Length {
    a[i] := 0;
  }
}

method Frame(a: array<int>, b: array<int>)
  modifies a
  ensures b[..] == old(b[..])
{
  for i := 0 to a.Length {
    a[i] := 0;
  }
}
