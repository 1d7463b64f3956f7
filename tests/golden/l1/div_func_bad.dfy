// possible division by zero in a function body
function Ratio(a: int, b: int): int
{
  a / b
}
