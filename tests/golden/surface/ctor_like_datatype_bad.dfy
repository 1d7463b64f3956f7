datatype D = D(x: int)

method Inc(d: D) returns (r: D)
  ensures r.x > d.x
{
  r := D(d.x - 1);
}
