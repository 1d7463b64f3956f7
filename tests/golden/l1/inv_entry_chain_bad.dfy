// loop invariant chain 0 <= i <= n fails on entry (i starts at 1, n may be 0)
method Count(n: nat)
{
  var i := 1;
  while i < n
    invariant 0 <= i <= n
  {
    i := i + 1;
  }
}
