// Wrong claims about reals: `.Floor` rounds toward minus infinity, not toward zero, and
// real division does not round.
method NegativeFloor()
{
  assert (-2.5).Floor == -2;
}

method Exact(x: int)
{
  assert (x as real) / 2.0 == (x / 2) as real;
}

method Half(x: real) returns (y: real)
  ensures y * 3.0 == x
{
  y := x / 2.0;
}
