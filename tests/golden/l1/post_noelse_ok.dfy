// postcondition holds after a trailing if without else
method AtLeastOne(x: int) returns (y: int)
  ensures y > 0
{
  y := x;
  if x <= 0 {
    y := 1;
  }
}
