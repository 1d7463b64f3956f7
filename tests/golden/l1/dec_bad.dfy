// explicit loop decreases clause that does not decrease (i goes up)
method Up(n: nat)
{
  var i := 0;
  while i < n
    decreases i
  {
    i := i + 1;
  }
}
