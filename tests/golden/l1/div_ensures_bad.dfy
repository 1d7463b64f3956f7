// possible division by zero inside an ensures (well-formedness of the spec)
method Zero(x: int, d: int) returns (y: int)
  ensures y % d == 0
{
  y := 0;
}
