// multisets of sequence literals, of concatenations, and membership
method Test(s: seq<int>, t: seq<int>)
{
  assert multiset([1, 2, 2]) == multiset([2, 1, 2]);
  assert multiset(s + t) == multiset(s) + multiset(t);
  assert 3 in multiset(s + [3]);
}
