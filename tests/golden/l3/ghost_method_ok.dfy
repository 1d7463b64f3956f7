ghost method Twice(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := x + x;
}

method Use(n: int) returns (r: int)
  ensures r == n
{
  ghost var t := Twice(n);
  assert t == 2 * n;
  r := n;
}
