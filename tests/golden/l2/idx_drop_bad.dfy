// suffix s[n..] where n may exceed |s|
method Drop(s: seq<int>, n: nat) returns (q: seq<int>)
  requires n <= |s| + 1
{
  q := s[n..];
}
