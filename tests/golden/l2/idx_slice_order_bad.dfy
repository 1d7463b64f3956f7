// slice s[i..j] where both bounds are in range but i may be greater than j
method Middle(s: seq<int>, i: int, j: int) returns (t: seq<int>)
  requires 0 <= i <= |s| && 0 <= j <= |s|
{
  t := s[i..j];
}
