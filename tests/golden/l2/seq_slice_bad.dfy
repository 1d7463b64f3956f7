// s[..i] + s[i + 1..] drops s[i]
method Test(s: seq<int>, i: int)
  requires 0 <= i < |s|
{
  assert s[..i] + s[i + 1..] == s;
}
