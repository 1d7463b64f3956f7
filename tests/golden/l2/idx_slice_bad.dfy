// slice s[i..j] where j may exceed |s|
method Middle(s: seq<int>, i: int, j: int) returns (t: seq<int>)
  requires 0 <= i <= |s| && i <= j
{
  t := s[i..j];
}
