// [1, 2] and [1, 2, 2] have the same elements but different multisets
method Test()
{
  assert multiset([1, 2]) == multiset([1, 2, 2]);
}
