// A true lemma on a list whose proof needs more than its induction hypothesis on xs.tail:
// a helper lemma about Rev with any accumulator.
datatype List = Nil | Cons(head: int, tail: List)

function Len(xs: List): nat
{
  match xs
  case Nil => 0
  case Cons(_, t) => 1 + Len(t)
}

function Rev(xs: List, acc: List): List
{
  match xs
  case Nil => acc
  case Cons(h, t) => Rev(t, Cons(h, acc))
}

lemma LenRev(xs: List)
  ensures Len(Rev(xs, Nil)) == Len(xs)
{
}
