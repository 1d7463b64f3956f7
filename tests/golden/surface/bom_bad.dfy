method Half(x: int) returns (y: int)
  ensures 2 * y == x
{
  y := x / 2;
}
