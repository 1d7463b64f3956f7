// recursive function on int terminates because the base case covers n <= 0
function Fact(n: int): int
{
  if n <= 0 then 1 else n * Fact(n - 1)
}
