// No value satisfies the such-that predicate: the existence check fails.

method Impossible(n: int) returns (r: int)
{
  r :| r > n && r < n;
}

method NoNat()
{
  var k: nat :| k < 0;
}
