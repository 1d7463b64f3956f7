// Recursive calls that do not get smaller: replay shows the calls and names the argument.
datatype List = Nil | Cons(head: int, tail: List)

function Len(xs: List): nat
{
  match xs
  case Nil => 0
  case Cons(_, t) => 1 + Len(xs)
}

function Ack(m: nat, n: nat): nat
{
  if m == 0 then n + 1 else if n == 0 then Ack(m, 1) else Ack(m - 1, Ack(m, n - 1))
}

function Count(n: int): int
  decreases n
{
  if n == 0 then 0 else 1 + Count(n + 1)
}
