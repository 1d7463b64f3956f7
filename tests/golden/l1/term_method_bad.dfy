// recursive method: the default decreases (lo, hi) does not decrease
method SumRange(lo: int, hi: int) returns (s: int)
{
  if lo >= hi {
    s := 0;
  } else {
    var t := SumRange(lo + 1, hi);
    s := lo + t;
  }
}
