// while i != n terminates with an explicit decreases n - i
method Up(n: nat)
{
  var i := 0;
  while i != n
    invariant i <= n
    decreases n - i
  {
    i := i + 1;
  }
}
