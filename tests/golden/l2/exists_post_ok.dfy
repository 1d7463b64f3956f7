// does the sequence contain 0? postcondition with exists
method HasZero(s: seq<int>) returns (b: bool)
  ensures b == exists k :: 0 <= k < |s| && s[k] == 0
{
  b := false;
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant b == exists k :: 0 <= k < i && s[k] == 0
  {
    if s[i] == 0 {
      b := true;
    }
    i := i + 1;
  }
}
