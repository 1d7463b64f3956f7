// call precondition with two requires clauses, only the second fails
method Between(lo: int, x: int, hi: int)
  requires lo <= x
  requires x <= hi
{
}

method Caller(n: nat)
{
  Between(0, n, 10);
}
