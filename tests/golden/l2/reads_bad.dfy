// a predicate reading an array without reads a
predicate IsZeroAt(a: array<int>, i: int)
  requires 0 <= i < a.Length
{
  a[i] == 0
}
