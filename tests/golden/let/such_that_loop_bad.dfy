// A variable given a value by `:|` in a loop body changes in the loop.

method Drift() returns (x: int)
  ensures x == 0
{
  x := 0;
  var i := 0;
  while i < 3
    invariant 0 <= i <= 3
    invariant x == 0
  {
    x :| x > 0;
    i := i + 1;
  }
}
