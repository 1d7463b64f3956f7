// This Insert puts a larger element first: the result is not sorted.
datatype List = Nil | Cons(head: int, tail: List)

predicate Sorted(xs: List)
{
  match xs
  case Nil => true
  case Cons(x, Nil) => true
  case Cons(x, Cons(y, rest)) => x <= y && Sorted(Cons(y, rest))
}

function Insert(x: int, xs: List): List
{
  match xs
  case Nil => Cons(x, Nil)
  case Cons(y, rest) => if x >= y then Cons(x, xs) else Cons(y, Insert(x, rest))
}

lemma InsertSorted(x: int, xs: List)
  requires Sorted(xs)
  ensures Sorted(Insert(x, xs))
{
  match xs
  case Nil =>
  case Cons(y, rest) =>
    if x < y {
      InsertSorted(x, rest);
    }
}
