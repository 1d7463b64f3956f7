// swapping two values with a simultaneous assignment
method Swap(x: int, y: int) returns (a: int, b: int)
  ensures a == y && b == x
{
  a, b := x, y;
  a, b := b, a;
}
