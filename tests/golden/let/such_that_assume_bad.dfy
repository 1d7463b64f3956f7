// After `:|`, only the predicate is known of the value: not which value it is.

method Choose(n: int) returns (r: int)
  ensures r == n + 1
{
  r :| r > n;
}
