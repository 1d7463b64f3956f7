// Literal patterns in match (current Dafny; Dafny 2.3 has only constructor patterns):
// `case 0 =>`, `case -1 =>`, `case true =>`, with variables and `_`, in match
// expressions and statements, and inside constructor patterns.

function Fib(n: nat): nat
{
  match n
  case 0 => 0
  case 1 => 1
  case n => Fib(n - 1) + Fib(n - 2)
}

lemma FibFacts()
  ensures Fib(2) == 1 && Fib(5) == 5
{
}

function Sign(b: bool): int
{
  match b
  case true => 1
  case false => -1
}

function Describe(x: int): int
{
  match x
  case -1 => 10
  case 0 => 20
  case _ => 30
}

function Small(n: int): int
  requires 0 <= n < 2
{
  match n
  case 0 => 5
  case 1 => 6
}

datatype List = Nil | Cons(head: int, tail: List)

function ZerosFirst(xs: List): int
{
  match xs
  case Nil => 0
  case Cons(0, tail) => 1 + ZerosFirst(tail)
  case Cons(_, _) => 0
}

method Classify(x: int) returns (r: int)
  ensures x == 0 ==> r == 0
  ensures x != 0 ==> r == 1
{
  match x {
    case 0 => r := 0;
    case _ => r := 1;
  }
}

method Flip(b: bool) returns (c: bool)
  ensures c == !b
{
  match b {
    case true => c := false;
    case false => c := true;
  }
}
