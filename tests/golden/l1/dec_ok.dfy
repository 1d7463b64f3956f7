// explicit loop decreases clause that decreases and is bounded
method Down(n: nat)
{
  var i := n;
  while i > 0
    decreases i
  {
    i := i - 1;
  }
}
