// prefix s[..n] and suffix s[n..] with n <= |s| put back together
method Split(s: seq<int>, n: int) returns (p: seq<int>, q: seq<int>)
  requires 0 <= n <= |s|
  ensures p + q == s
{
  p := s[..n];
  q := s[n..];
}
