// no decreases clause for while i != n: Dafny cannot prove termination
method Up(n: nat)
{
  var i := 0;
  while i != n
    invariant i <= n
  {
    i := i + 1;
  }
}
