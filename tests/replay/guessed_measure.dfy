// A loop whose guessed measure needs an invariant to stay bounded: the advice names the guess.
method Gap(lo: int, hi: int) returns (k: int)
  requires lo <= hi
  ensures k == hi - lo
{
  var i := lo;
  k := 0;
  while i != hi
    invariant k == i - lo
  {
    i := i + 1;
    k := k + 1;
  }
}
