// prefix and suffix facts: s[..i] + s[i..] == s, s[..|s|] == s, s[0..i] == s[..i]
method Test(s: seq<int>, i: int)
  requires 0 <= i <= |s|
{
  assert s[..i] + s[i..] == s;
  assert s[..|s|] == s;
  assert s[0..i] == s[..i];
  assert |s[i..]| == |s| - i;
}
