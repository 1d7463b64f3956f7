// A compiled variable cannot be chosen by a predicate over ghost state.

method Copy(ghost g: int) returns (r: int)
{
  r :| r == g;
}
