// A `;` after a clause is only a warning: the program is still verified, and this
// postcondition fails as it would without the `;`.
method Abs(x: int) returns (y: int)
  ensures y >= 0;
  ensures y == x || y == -x;
{
  y := x;
}
