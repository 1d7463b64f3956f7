// The ensures clauses of a forall statement must be well defined, each checked on its own.
method M(a: array<int>, j: int)
{
  forall n | 0 <= n < 100
    ensures n / 0 == n / 0
    ensures a[j] == a[j]
  {
  }
}
