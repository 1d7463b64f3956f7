// a difference can remove more than what was added
method Parameters(s: multiset<int>, t: multiset<int>)
{
  assert (s - t) + t == s;
}
