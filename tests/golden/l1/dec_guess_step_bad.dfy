// no decreases clause for while i < n, but the body does not change i
method Stuck(n: int)
{
  var i := 0;
  var s := 0;
  while i < n
  {
    s := s + i;
  }
}
