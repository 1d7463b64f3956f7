// adding an element that may already be there may not grow the set
method Grow(S: set<int>, x: int)
{
  var T := S + {x};
  assert |T| == |S| + 1;
}
