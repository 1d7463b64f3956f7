// assertion after an if/else fails because one branch is too weak
method Test(x: int)
{
  var y: int;
  if x >= 0 {
    y := x;
  } else {
    y := x + 1;
  }
  assert y >= 0;
}
