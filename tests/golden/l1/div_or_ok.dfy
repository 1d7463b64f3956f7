// short-circuit b == 0 || a / b > 1 is well-formed
predicate Small(a: int, b: int)
{
  b == 0 || a / b > 1
}
