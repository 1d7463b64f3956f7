// gcd function: the default decreases (a, b) fails for the call Gcd(a, b - a)
function Gcd(a: nat, b: nat): nat
  requires a > 0 && b > 0
{
  if a == b then a else if a > b then Gcd(a - b, b) else Gcd(a, b - a)
}
