// possible division by zero in method code (count may be 0)
method Average(total: int, count: int) returns (a: int)
  requires count >= 0
{
  a := total / count;
}
