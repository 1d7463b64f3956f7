// array slice a[i..j] with 0 <= i <= j <= a.Length
method Window(a: array<int>, i: int, j: int) returns (t: seq<int>)
  requires 0 <= i <= j <= a.Length
  ensures |t| == j - i
  ensures forall k :: 0 <= k < |t| ==> t[k] == a[i + k]
{
  t := a[i..j];
}
