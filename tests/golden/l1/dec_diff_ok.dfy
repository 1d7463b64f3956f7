// explicit decreases n - i for a counting-up loop
method Up(n: nat)
{
  var i := 0;
  while i < n
    invariant i <= n
    decreases n - i
  {
    i := i + 1;
  }
}
