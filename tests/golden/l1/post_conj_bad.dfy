// postcondition conjunction A && B where only the second conjunct fails
method Triple(x: int) returns (y: int)
  requires x >= 0
  ensures y >= x && y == 3 * x
{
  y := x + x;
}
