// The such-that predicate must be well-formed for every value of the variables.

method Find(s: seq<int>) returns (i: int)
  requires 3 in s
{
  i :| s[i] == 3;
}
