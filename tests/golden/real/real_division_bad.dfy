// Dividing by a real that may be 0.0 is a possible division by zero, as for ints.
method Ratio(x: real, y: real) returns (q: real)
{
  q := x / y;
}

method Mean(s: seq<real>) returns (m: real)
  requires |s| > 0
{
  var d := (|s| - 1) as real;
  m := s[0] / d;
}

method Fine(x: real, y: real) returns (q: real)
  requires y > 0.0
{
  q := x / y;
}
