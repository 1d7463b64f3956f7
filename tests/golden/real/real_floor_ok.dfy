// `.Floor` rounds a real down to an int; `r as int` needs r to be a whole number.
method Floor(r: real) returns (f: int)
  ensures f as real <= r < f as real + 1.0
  ensures r >= 0.0 ==> f >= 0
{
  f := r.Floor;
}

method Literals()
{
  assert 2.5.Floor == 2;
  assert (-2.5).Floor == -3;
  assert (7.0).Floor == 7;
  assert (-0.5).Floor == -1;
}

method Whole(r: real) returns (n: int)
  requires r == r.Floor as real
  ensures n as real == r
{
  n := r as int;
}

method Halves(x: int) returns (h: int)
  ensures h == x / 2 || h == (x - 1) / 2
{
  h := ((x as real) / 2.0).Floor;
}
