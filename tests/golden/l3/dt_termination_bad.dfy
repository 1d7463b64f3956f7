// The recursive call is on a list that is not smaller.
datatype List = Nil | Cons(head: int, tail: List)

function Count(xs: List): nat
{
  match xs
  case Nil => 0
  case Cons(h, t) => if h == 0 then Count(Cons(1, t)) else 1 + Count(t)
}
