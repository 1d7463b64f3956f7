// precondition of a call statement M(x); without results fails
method Check(x: int)
  requires x != 0
{
}

method Caller(a: int)
{
  Check(a + 1);
  Check(a);
}
