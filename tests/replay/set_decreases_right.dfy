// A loop whose decreases set loses an element each iteration: verified, and runs without a violation.
method Drain(s0: set<int>) returns (n: int)
{
  var s := s0;
  n := 0;
  while s != {}
    decreases s
  {
    var x :| x in s;
    s := s - {x};
  }
}
