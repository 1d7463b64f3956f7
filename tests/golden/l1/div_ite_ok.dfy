// if b != 0 then a / b else 0 is well-formed
function SafeDiv(a: int, b: int): int
{
  if b != 0 then a / b else 0
}

method Test(a: int)
{
  assert SafeDiv(a, 0) == 0;
}
