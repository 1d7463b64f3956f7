// no decreases clause for while i != n and no invariant: termination not proved
method Up(n: nat)
{
  var i := 0;
  while i != n
  {
    i := i + 1;
  }
}
