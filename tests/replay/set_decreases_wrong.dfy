// A loop whose decreases set grows: the run confirms the failure.
method Drain(s0: set<int>) returns (n: int)
{
  var s := s0;
  var t: set<int> := {};
  while s != {}
    decreases t
  {
    var x :| x in s;
    s := s - {x};
    t := t + {x};
  }
}
