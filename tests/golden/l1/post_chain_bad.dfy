// postcondition chain 0 <= y <= n where only the upper half fails
method Half(n: nat) returns (y: int)
  ensures 0 <= y <= n
{
  y := n + 1;
}
