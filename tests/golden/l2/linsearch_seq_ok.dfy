// linear search in a sequence, specified with exists
method IndexOf(s: seq<int>, x: int) returns (r: int)
  ensures r < |s|
  ensures 0 <= r ==> s[r] == x
  ensures r < 0 <==> !(exists k :: 0 <= k < |s| && s[k] == x)
{
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall k :: 0 <= k < i ==> s[k] != x
  {
    if s[i] == x {
      return i;
    }
    i := i + 1;
  }
  return -1;
}
