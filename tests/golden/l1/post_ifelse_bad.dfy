// postcondition fails only on the else branch of a trailing if/else
method Max(a: int, b: int) returns (m: int)
  ensures m >= a
  ensures m >= b
{
  if a > b {
    m := a;
  } else {
    m := a;
  }
}
