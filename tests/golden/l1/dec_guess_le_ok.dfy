// no decreases clause: Dafny's guess works for while i <= n
method Up(n: int)
{
  var i := 0;
  while i <= n
  {
    i := i + 1;
  }
}
