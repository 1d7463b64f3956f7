// The values of a let-expression are checked well-formed: an index, a divisor.

function First(s: seq<int>): int
{
  var f := s[0];
  f
}

method Ratio(x: int, y: int) returns (r: int)
  ensures r == (var q := x / y; q)
{
  r := 0;
}
