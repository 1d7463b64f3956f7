// precondition of a method call holds (caller's requires is strong enough)
method Dec(x: int) returns (y: int)
  requires x > 0
  ensures y == x - 1
{
  y := x - 1;
}

method Caller(a: int) returns (r: int)
  requires a >= 1
  ensures r >= 0
{
  r := Dec(a);
}
