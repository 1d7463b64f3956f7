// A real decreases when it goes down by at least 1.0 and was not negative (Dafny's order
// on reals); a loop on a real comparison gets Dafny's guess for its decreases clause.
method Countdown(r: real)
{
  var x := r;
  while x > 0.0
    decreases x
  {
    x := x - 1.0;
  }
}

method Guessed(r: real)
{
  var x := r;
  while x > 0.0
  {
    x := x - 2.0;
  }
}

function Steps(r: real): int
{
  if r <= 0.0 then 0 else 1 + Steps(r - 1.0)
}
