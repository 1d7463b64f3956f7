// division in a function body protected by the function's requires
function Ratio(a: int, b: int): int
  requires b != 0
{
  a / b
}
