// precondition of a call statement M(x); without results fails on the second call
method Check(x: int)
  requires x != 0
{
}

method Caller(a: nat)
{
  Check(a + 1);
  Check(a);
}
