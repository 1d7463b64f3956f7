// slice s[i..j] with 0 <= i <= j <= |s|
method Middle(s: seq<int>, i: int, j: int) returns (t: seq<int>)
  requires 0 <= i <= j <= |s|
  ensures |t| == j - i
{
  t := s[i..j];
}
