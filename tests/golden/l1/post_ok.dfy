// postcondition holds at the fall-off end of a straight-line body
method Inc(x: int) returns (y: int)
  ensures y == x + 1
{
  y := x + 1;
}
