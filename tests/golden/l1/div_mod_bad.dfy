// possible division by zero with % in method code
method LastDigit(x: int, base: nat) returns (d: int)
{
  d := x % base;
}
