// wrong order a / b > 1 && b != 0: the division is checked first
method Big(a: int, b: int) returns (r: bool)
{
  r := a / b > 1 && b != 0;
}
