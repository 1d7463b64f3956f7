// A wrong let-bound value: the postcondition names x + 2, the method computes x + 1.

method Next(x: int) returns (r: int)
  ensures r == (var z := x + 2; z)
{
  r := x + 1;
}

function Twice(x: int): int
  ensures Twice(x) == 2 * x
{
  var y := x + 1;
  y + x
}
