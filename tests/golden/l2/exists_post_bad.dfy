// exists postcondition fails: the loop starts at 1 and misses s[0]
method HasZero(s: seq<int>) returns (b: bool)
  ensures b == exists k :: 0 <= k < |s| && s[k] == 0
{
  b := false;
  var i := 1;
  while i < |s|
    invariant 1 <= i
    invariant b == exists k :: 1 <= k < i && k < |s| && s[k] == 0
  {
    if s[i] == 0 {
      b := true;
    }
    i := i + 1;
  }
}
