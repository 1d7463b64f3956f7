// recursive function: the default decreases (lo, hi) does not decrease
function SumRange(lo: int, hi: int): int
{
  if lo >= hi then 0 else lo + SumRange(lo + 1, hi)
}
