// exists with range 0 <= k <= |s| indexes one past the end
method Contains(s: seq<int>, x: int) returns (b: bool)
  ensures b ==> exists k :: 0 <= k <= |s| && s[k] == x
{
  b := false;
}
