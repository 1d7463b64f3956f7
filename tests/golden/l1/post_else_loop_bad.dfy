// postcondition fails on an else branch that ends with a while loop
method Positive(x: int) returns (y: int)
  ensures y > 0
{
  if x > 0 {
    y := x;
  } else {
    y := x;
    while y < 0
    {
      y := y + 1;
    }
  }
}
