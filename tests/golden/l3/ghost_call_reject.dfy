ghost method Twice(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := x + x;
}

method Use(n: int) returns (r: int)
{
  r := Twice(n);
}
