// no decreases clause for while i != n: with invariant i <= n Dafny's guess works
method Up(n: nat)
{
  var i := 0;
  while i != n
    invariant i <= n
  {
    i := i + 1;
  }
}
