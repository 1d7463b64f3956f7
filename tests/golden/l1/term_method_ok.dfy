// recursive method terminates with an explicit decreases hi - lo
method SumRange(lo: int, hi: int) returns (s: int)
  decreases hi - lo
{
  if lo >= hi {
    s := 0;
  } else {
    var t := SumRange(lo + 1, hi);
    s := lo + t;
  }
}
