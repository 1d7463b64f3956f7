// max by a pair of loops: the second loop counts to b instead of a
method MaxByCounting(a: int, b: int) returns (m: int)
  ensures m >= a && m >= b
  ensures m == a || m == b
{
  var i := a;
  while i < b
    invariant i >= a
    invariant i == a || i <= b
  {
    i := i + 1;
  }
  var j := a;
  while j < b
    invariant j >= a
    invariant j == a || j <= b
  {
    j := j + 1;
  }
  m := j - 1;
}
