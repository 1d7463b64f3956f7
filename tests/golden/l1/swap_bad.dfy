// swapping with two sequential assignments loses the old value of a
method Swap(x: int, y: int) returns (a: int, b: int)
  ensures a == y && b == x
{
  a, b := x, y;
  a := b;
  b := a;
}
