// set literals, union, difference, intersection, subset, membership and size
method Test()
{
  var S: set<int> := {1, 2};
  var T := S + {3};
  assert 3 in T && 3 !in S;
  assert S <= T;
  assert T - {3} == S;
  assert S * {2, 5} == {2};
  assert |S| == 2;
  assert {} <= S;
}
