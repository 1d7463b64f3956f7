// array read a[i] where i may equal a.Length
method Get(a: array<int>, i: int) returns (x: int)
  requires 0 <= i <= a.Length
{
  x := a[i];
}
