// As many values as variables.

function Two(x: int): int
{
  var a, b := x;
  a + b
}
