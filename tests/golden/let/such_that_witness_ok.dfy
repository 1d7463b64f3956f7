// `:|` chooses a value whose existence follows from what is known, as in Dafny's teaching
// material on parity: the witness of an `exists` in a precondition.

predicate Even(a: nat)
{
  exists b: nat :: a == 2 * b
}

lemma SquareOfEven(n: nat)
  requires Even(n)
{
  var a: nat :| n == 2 * a;
  assert n * n == 4 * (a * a);
}

lemma OddIsOneMore(n: nat)
  requires exists b: nat :: n == 2 * b + 1
  ensures n >= 1
{
  var p: nat :| n == 2 * p + 1;
}

method Half(n: nat) returns (h: nat)
  requires Even(n)
  ensures 2 * h == n
{
  h :| 2 * h == n;
}
