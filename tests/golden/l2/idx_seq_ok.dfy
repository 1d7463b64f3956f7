// sequence index s[|s| - 1] of a non-empty sequence
method Last(s: seq<int>) returns (x: int)
  requires |s| > 0
  ensures x == s[|s| - 1]
{
  x := s[|s| - 1];
}
