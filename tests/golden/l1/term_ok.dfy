// recursive function terminates with an explicit decreases hi - lo
function SumRange(lo: int, hi: int): int
  decreases hi - lo
{
  if lo >= hi then 0 else lo + SumRange(lo + 1, hi)
}
