// Lists have no field `first`.
datatype List = Nil | Cons(head: int, tail: List)

function First(xs: List): int
  requires xs.Cons?
{
  xs.first
}
