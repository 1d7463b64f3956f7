// An array of reals: a postcondition that the loop does not establish.
method Total(a: array<real>) returns (t: real)
  ensures t >= 0.0
{
  t := 0.0;
  var i := 0;
  while i < a.Length
    invariant 0 <= i <= a.Length
  {
    t := t + a[i];
    i := i + 1;
  }
}
