// division in method code with a non-zero divisor
method Average(total: int, count: int) returns (a: int)
  requires count > 0
{
  a := total / count;
}
