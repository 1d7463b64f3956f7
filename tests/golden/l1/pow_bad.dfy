// power by a loop: starting i at 1 breaks the invariant on entry
function Pow(b: int, e: nat): int
{
  if e == 0 then 1 else b * Pow(b, e - 1)
}

method ComputePow(b: int, e: nat) returns (r: int)
  requires e >= 1
  ensures r == Pow(b, e)
{
  r := 1;
  var i := 1;
  while i < e
    invariant 0 <= i <= e
    invariant r == Pow(b, i)
  {
    r := r * b;
    i := i + 1;
  }
}
