// A real must go down by at least 1.0 in each iteration for its decrease to count.
method Halving(r: real)
{
  var x := r;
  while x > 0.0
    decreases x
  {
    x := x - 0.5;
  }
}
