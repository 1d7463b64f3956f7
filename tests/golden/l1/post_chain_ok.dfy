// postcondition that is a chain lo <= y <= hi holds
method Half(n: nat) returns (y: int)
  ensures 0 <= y <= n
{
  y := n / 2;
}
