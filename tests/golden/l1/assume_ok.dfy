// verifies only because of the assume statement
method Positive(x: int) returns (y: int)
  ensures y > 0
{
  assume x > 0;
  y := x;
}
