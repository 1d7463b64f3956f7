// postcondition fails only on the path of an explicit early return
method Abs(x: int) returns (y: int)
  ensures y >= 0
{
  if x < 0 {
    y := x;
    return;
  }
  y := x;
}
