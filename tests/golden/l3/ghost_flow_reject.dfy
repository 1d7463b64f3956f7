method M(n: nat) returns (k: int)
{
  ghost var g := n;
  k := g;
}
