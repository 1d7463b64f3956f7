// the assumed fact is too weak to prove the postcondition
method Positive(x: int) returns (y: int)
  ensures y > 0
{
  assume x >= 0;
  y := x;
}
