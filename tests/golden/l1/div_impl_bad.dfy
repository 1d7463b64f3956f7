// b >= 0 ==> a % b < b does not protect the modulo when b == 0
method Mod(a: int, b: int)
  requires b >= 0
{
  assert b >= 0 ==> a % b < b;
}
