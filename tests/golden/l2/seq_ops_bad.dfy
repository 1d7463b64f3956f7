// after s[0 := x] the sequence need not equal s
method Test(s: seq<int>, x: int)
  requires |s| > 0
{
  var u := s[0 := x];
  assert |u| == |s|;
  assert u == s;
}
