// assertion fails
method Test(x: int)
  requires x > 2
{
  var y := x * 2;
  assert y > 6;
}
