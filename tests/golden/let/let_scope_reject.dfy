// A let-bound variable exists only in the let's body.

function Outside(x: int): int
{
  (var y := x + 1; y) + y
}
