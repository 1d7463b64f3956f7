// array slice a[i..j] where j may be a.Length + 1
method Window(a: array<int>, i: int, j: int) returns (t: seq<int>)
  requires 0 <= i <= a.Length && i <= j <= a.Length + 1
{
  t := a[i..j];
}
