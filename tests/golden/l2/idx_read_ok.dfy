// array read a[i] with 0 <= i < a.Length from the precondition
method Get(a: array<int>, i: int) returns (x: int)
  requires 0 <= i < a.Length
  ensures x == a[i]
{
  x := a[i];
}
