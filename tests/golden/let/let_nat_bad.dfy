// A typed let-binding: the value must be of the variable's type (a nat here).

function Half(x: int): int
{
  var y: nat := x;
  y / 2
}
