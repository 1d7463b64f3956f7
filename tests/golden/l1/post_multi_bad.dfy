// two ensures clauses, only the second one fails
method Next(x: int) returns (y: int)
  ensures y > x
  ensures y == x + 1
{
  y := x + 2;
}
