// b > 0 || a / b > 1 does not protect the division when b == 0
predicate Small(a: int, b: int)
{
  b > 0 || a / b > 1
}
