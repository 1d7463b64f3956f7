// prefix s[..n] where n may exceed |s|
method Take(s: seq<int>, n: nat) returns (p: seq<int>)
{
  p := s[..n];
}
