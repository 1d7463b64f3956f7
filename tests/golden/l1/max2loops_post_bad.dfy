// max by a pair of loops: the first loop runs one step too far (i <= b)
method MaxByCounting(a: int, b: int) returns (m: int)
  ensures m >= a && m >= b
  ensures m == a || m == b
{
  var i := a;
  while i <= b
    invariant i >= a
    invariant i == a || i <= b + 1
  {
    i := i + 1;
  }
  var j := b;
  while j < a
    invariant j >= b
    invariant j == b || j <= a
  {
    j := j + 1;
  }
  m := i;
}
