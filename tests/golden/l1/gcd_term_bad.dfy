// gcd function with swapped arguments: the default decreases (a, b) does not decrease
function Gcd(a: nat, b: nat): nat
  requires a > 0 && b > 0
{
  if a == b then a else if a > b then Gcd(a - b, b) else Gcd(b - a, a)
}
