// recursive lemma terminates with an explicit decreases hi - lo
function SumRange(lo: int, hi: int): int
  decreases hi - lo
{
  if lo >= hi then 0 else lo + SumRange(lo + 1, hi)
}

lemma SumRangeNonneg(lo: int, hi: int)
  requires 0 <= lo
  ensures SumRange(lo, hi) >= 0
  decreases hi - lo
{
  if lo < hi {
    SumRangeNonneg(lo + 1, hi);
  }
}
