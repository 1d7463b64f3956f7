// A first contract: the absolute value, and a client that only knows the contract.
method Abs(x: int) returns (y: int)
  ensures y >= 0
  ensures y == x || y == -x
{
  if x < 0 {
    y := -x;
  } else {
    y := x;
  }
}

method Client()
{
  var a := Abs(-3);
  assert a == 3;
}
