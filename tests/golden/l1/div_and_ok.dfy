// short-circuit b != 0 && a / b > 1 is well-formed
method Big(a: int, b: int) returns (r: bool)
  ensures r == (b != 0 && a / b > 1)
{
  r := b != 0 && a / b > 1;
}
