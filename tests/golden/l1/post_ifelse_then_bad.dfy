// postcondition fails only on the then branch of a trailing if/else
method Sign(x: int) returns (s: int)
  ensures x < 0 ==> s == -1
  ensures x >= 0 ==> s == 1
{
  if x < 0 {
    s := 1;
  } else {
    s := 1;
  }
}
