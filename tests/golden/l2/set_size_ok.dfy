// sizes of sets and multisets
method Sizes(S: set<int>, T: set<int>, s: seq<int>)
  requires S * T == {}
{
  assert |S + T| == |S| + |T|;
  assert |{1, 2, 2, 3}| == 3;
  assert |S - T| == |S|;
  assert |multiset(s)| == |s|;
  assert |multiset{1, 1, 2}| == 3;
  var U := S + {7};
  assert 7 !in S ==> |U| == |S| + 1;
}
