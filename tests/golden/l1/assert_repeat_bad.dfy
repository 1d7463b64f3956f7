// a failing assertion followed by the same assertion: only the first is reported
method Test(x: int)
  requires x > 2
{
  var y := x * 2;
  assert y > 6;
  assert y > 6;
}
