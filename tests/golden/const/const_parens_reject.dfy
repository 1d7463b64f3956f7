// A constant is named without parentheses, and its value must have its type.
const N := 10
const B: bool := 3

method M() returns (k: int)
{
  k := N();
}
