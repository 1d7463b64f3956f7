// postcondition fails on the implicit else path of a trailing if without else
method AtLeastOne(x: int) returns (y: int)
  ensures y > 0
{
  y := 0;
  if x > 0 {
    y := x;
  }
}
