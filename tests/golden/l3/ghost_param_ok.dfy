method Copy(x: int, ghost bound: int) returns (y: int)
  requires x <= bound
  ensures y <= bound
{
  y := x;
}

method Caller() {
  var a := Copy(3, 5);
  assert a <= 5;
}
