// possible division by zero inside a requires clause
method Ratio(a: int, b: int) returns (q: int)
  requires a / b > 0
{
  q := 1;
}
