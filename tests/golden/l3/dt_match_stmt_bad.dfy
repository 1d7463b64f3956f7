// A match statement without a case for Nil, and a list that may be Nil.
datatype List = Nil | Cons(head: int, tail: List)

method Head(xs: List) returns (h: int)
{
  match xs {
    case Cons(x, _) =>
      h := x;
  }
}
