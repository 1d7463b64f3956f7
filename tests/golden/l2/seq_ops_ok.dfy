// sequence literals, concatenation, length, update and membership
method Test(s: seq<int>, t: seq<int>, x: int)
  requires |s| > 0
{
  assert [1, 2] + [3] == [1, 2, 3];
  assert |s + t| == |s| + |t|;
  assert (s + t)[0] == s[0];
  var u := s[0 := x];
  assert u[0] == x && |u| == |s|;
  assert x in u;
  assert 4 !in [1, 2, 3];
  var e: seq<int> := [];
  assert |e| == 0 && x !in e;
}
