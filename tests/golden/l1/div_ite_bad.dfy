// if b >= 0 then a / b else 0 divides by zero when b == 0
function SafeDiv(a: int, b: int): int
{
  if b >= 0 then a / b else 0
}
