// A store into an array<nat> is checked: -5 is not a nat, so the assertion cannot be reached honestly.
method M()
{
  var a := new nat[3];
  a[1] := 0 - 5;
  assert a[1] < 0;
}
