// False claims about computed values are refuted.
predicate Even(n: nat) { if n == 0 then true else Odd(n - 1) }
predicate Odd(n: nat) { if n == 0 then false else Even(n - 1) }

function Pow(b: int, e: nat): int { if e == 0 then 1 else b * Pow(b, e - 1) }

method WrongParity() {
  assert Odd(10);
}

method WrongPower() {
  assert Pow(2, 10) == 1000;
}

method OffByOne() {
  assert Pow(2, 10) == 1025;
}
