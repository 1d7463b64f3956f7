// Constants: with a value the verifier knows it (computed through calls too), without one
// they are any value of their type; a type is inferred from the value; a parameter may
// shadow a constant.
const N: int := 10
const M := N * 2;
const Limit: nat := 3
const Flag := true
const Primes: seq<int> := [2, 3, 5, 7]
const Unknown: int

function Twice(x: int): int { 2 * x }

ghost const T := Twice(N)

method UseConstants() returns (r: int)
  ensures r == 30
{
  assert M == 20;
  assert |Primes| == 4 && Primes[2] == 5;
  assert Flag;
  r := N + M;
}

method Bounded(i: int) returns (b: bool)
  requires 0 <= i < Limit
  ensures b
{
  b := i < 3;
}

method Shadow(N: int) returns (r: int)
  ensures r == N + 1
{
  r := N + 1;
}

lemma AboutT()
  ensures T == 20
{
}

method Arbitrary() returns (x: int)
  ensures x == Unknown
{
  x := Unknown;
}
