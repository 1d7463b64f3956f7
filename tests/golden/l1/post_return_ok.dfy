// postcondition holds at an explicit early return and at the fall-off end
method Abs(x: int) returns (y: int)
  ensures y >= 0
{
  if x < 0 {
    y := -x;
    return;
  }
  y := x;
}
