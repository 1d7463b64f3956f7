// A print statement is not allowed in a proof (here a forall statement's body).

method M(n: int)
{
  forall k | 0 <= k < n
    ensures k < n
  {
    print k;
  }
}
