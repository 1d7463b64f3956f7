// no decreases clause: Dafny guesses n - i for while i < n
method Up(n: int)
{
  var i := 0;
  while i < n
  {
    i := i + 1;
  }
}
