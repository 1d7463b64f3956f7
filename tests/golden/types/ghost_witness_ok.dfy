// A ghost witness shows that the type has a value (here 5, not the default 0).
type Big = x: int | x >= 5 ghost witness 5
type Even = x: int | x % 2 == 0

method Double(b: Big) returns (e: Even)
  ensures e == 2 * b
{
  e := 2 * b;
}
