// short-circuit b != 0 ==> a % b < b is well-formed
method Mod(a: int, b: int)
  requires b >= 0
{
  assert b != 0 ==> a % b < b;
}
