// postcondition fails at an explicit return that is the last statement
method Double(x: int) returns (y: int)
  ensures y == 2 * x
{
  y := x + 1;
  return;
}
