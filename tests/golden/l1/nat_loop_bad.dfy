// nat local decremented by 2 in a loop may become negative
method Halve(n: nat)
{
  var i: nat := n;
  while i > 0
  {
    i := i - 2;
  }
}
