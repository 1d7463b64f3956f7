// `head` exists only for Cons: the function needs `requires xs.Cons?`.
datatype List = Nil | Cons(head: int, tail: List)

function Head(xs: List): int
{
  xs.head
}
