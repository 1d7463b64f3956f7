// |S + T| == |S| + |T| only holds for disjoint sets
method Test(S: set<int>, T: set<int>)
{
  assert |S + T| == |S| + |T|;
}
