// wrong invariant: the elements passed over differ from x, they are not equal to it
method Find(s: seq<int>, x: int) returns (r: int)
  ensures 0 <= r ==> r < |s| && s[r] == x
  ensures r < 0 ==> forall k :: 0 <= k < |s| ==> s[k] != x
{
  var i := 0;
  while i < |s|
    invariant 0 <= i <= |s|
    invariant forall k :: 0 <= k < i ==> s[k] == x
  {
    if s[i] == x {
      return i;
    }
    i := i + 1;
  }
  return -1;
}
