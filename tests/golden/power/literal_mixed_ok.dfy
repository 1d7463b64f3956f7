// Literal computation through mutual recursion, datatype values built by other calls,
// parameters of several types, and a lemma called on literals.
predicate Even(n: nat) { if n == 0 then true else Odd(n - 1) }
predicate Odd(n: nat) { if n == 0 then false else Even(n - 1) }

datatype List = Nil | Cons(head: int, tail: List)

function Take(xs: List, n: nat): List {
  if n == 0 then Nil else match xs case Nil => Nil case Cons(h, t) => Cons(h, Take(t, n - 1))
}

function Len(xs: List): nat { match xs case Nil => 0 case Cons(_, t) => 1 + Len(t) }

function Pow(b: int, e: nat): int { if e == 0 then 1 else b * Pow(b, e - 1) }

lemma PowPositive(b: int, e: nat)
  requires b > 0
  ensures Pow(b, e) > 0
{ }

method Compute() {
  assert Even(10);
  assert !Odd(10);
  assert Len(Take(Cons(1, Cons(2, Cons(3, Nil))), 2)) == 2;
  assert Pow(2, 10) == 1024;
  PowPositive(3, 4);
  assert Pow(3, 4) > 0;
}
