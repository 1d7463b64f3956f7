// sequence index s[|s|] is one past the end
method Last(s: seq<int>) returns (x: int)
  requires |s| > 0
{
  x := s[|s|];
}
