// a compiled method's ghost result, and a ghost method's results, received in ghost variables
method Dec(x: int) returns (ghost y: int, z: int)
  ensures y == x - 1 && z == x
{
  y, z := x - 1, x;
}

ghost method Twice(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := 2 * x;
}

method Caller(a: int) returns (r: int)
  ensures r == a
{
  ghost var g: int;
  g, r := Dec(a);
  ghost var t := Twice(g);
  assert t == 2 * a - 2;
}
