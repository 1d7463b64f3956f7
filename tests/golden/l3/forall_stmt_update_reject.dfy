// The body of a forall statement is a proof: it may not change the method's variables.
method Last(n: nat) returns (last: int)
{
  last := 0;
  forall i: int | 0 <= i < n {
    last := i;
  }
}
