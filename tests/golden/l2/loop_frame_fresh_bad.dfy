// a new array may be modified by the method, so a loop that writes the heap may change it
method Fresh(a: array<int>)
  requires a.Length > 0
  modifies a
{
  var b := new int[3];
  b[0] := 5;
  var i := 0;
  while i < 3
    invariant 0 <= i <= 3
  {
    a[0] := i;
    i := i + 1;
  }
  assert b[0] == 5;
}
