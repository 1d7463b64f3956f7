// gcd function with swapped arguments terminates with decreases a + b
function Gcd(a: nat, b: nat): nat
  requires a > 0 && b > 0
  decreases a + b
{
  if a == b then a else if a > b then Gcd(a - b, b) else Gcd(b - a, a)
}
