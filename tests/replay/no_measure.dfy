// A loop whose condition gives no measure: the run ends, and the advice is a decreases clause.
method Drain(n: nat)
{
  var x: int := n;
  var more := x > 0;
  while more
  {
    x := x - 1;
    more := x > 0;
  }
}
