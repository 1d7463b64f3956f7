// recursive function on int: default decreases n is not bounded below for n < 0
function Fact(n: int): int
{
  if n == 0 then 1 else n * Fact(n - 1)
}
