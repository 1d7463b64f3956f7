type Index = i: int | 0 <= i < 10 witness 0

method Append(s: seq<Index>, x: int) returns (t: seq<Index>)
  requires x >= 0
{
  t := s + [x];
}
