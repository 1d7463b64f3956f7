method M(n: nat) returns (k: int)
{
  ghost var g := n;
  k := 0;
  if g > 0 {
    k := 1;
  }
}
