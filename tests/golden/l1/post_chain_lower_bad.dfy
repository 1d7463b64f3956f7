// postcondition chain 0 <= y <= n where only the lower half fails
method Half(n: nat) returns (y: int)
  ensures 0 <= y <= n
{
  y := n / 2 - 1;
}
