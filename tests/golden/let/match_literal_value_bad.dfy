// Literal patterns (current Dafny): a wrong value in one case.

function Fib(n: nat): nat
  ensures n >= 2 ==> Fib(n) == Fib(n - 1) + Fib(n - 2)
{
  match n
  case 0 => 0
  case 1 => 1
  case 2 => 2
  case n => Fib(n - 1) + Fib(n - 2)
}
