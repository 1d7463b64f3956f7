// multiset difference, intersection and inclusion, on displays and on parameters
method Displays() {
  var m := multiset{1, 1, 2};
  assert m - multiset{1} == multiset{1, 2};
  assert m * multiset{1, 3} == multiset{1};
  assert multiset{1} <= m;
  assert multiset{1} < m;
  assert !(m <= multiset{1});
}

method Parameters(s: multiset<int>, t: multiset<int>)
{
  assert s - t <= s;
  assert s * t <= t;
  assert |s + t| == |s| + |t|;
}
