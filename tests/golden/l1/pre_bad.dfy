// precondition of a method call fails (a may be 0)
method Dec(x: int) returns (y: int)
  requires x > 0
  ensures y == x - 1
{
  y := x - 1;
}

method Caller(a: int) returns (r: int)
  requires a >= 0
{
  r := Dec(a);
}
