// assertion of a chain 0 <= y < 10 where only the upper bound fails
method Test(x: nat)
{
  var y := x % 12;
  assert 0 <= y < 10;
}
