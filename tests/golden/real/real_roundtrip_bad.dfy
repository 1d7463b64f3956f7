// `r as int` is defined only for a whole number: Dafny checks it. `.Floor` rounds down,
// and a real is not its floor.
method RoundTrip(r: real) returns (n: int)
{
  n := r as int;
}

method FloorIsNotIdentity(r: real)
{
  assert r.Floor as real == r;
}

method Truncate(r: real) returns (n: int)
  ensures n as real <= r
{
  n := r.Floor + 1;
}
