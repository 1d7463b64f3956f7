// The sum of an append, and a loop that sums a list with a cursor.
datatype List = Nil | Cons(head: int, tail: List)

function Sum(xs: List): int
{
  match xs
  case Nil => 0
  case Cons(x, tail) => x + Sum(tail)
}

function Append(xs: List, ys: List): List
{
  match xs
  case Nil => ys
  case Cons(x, tail) => Cons(x, Append(tail, ys))
}

lemma SumAppend(xs: List, ys: List)
  ensures Sum(Append(xs, ys)) == Sum(xs) + Sum(ys)
{
  match xs
  case Nil =>
  case Cons(x, tail) =>
    SumAppend(tail, ys);
}

method SumLoop(xs: List) returns (s: int)
  ensures s == Sum(xs)
{
  s := 0;
  var rest := xs;
  while rest != Nil
    invariant s + Sum(rest) == Sum(xs)
    decreases rest
  {
    match rest {
      case Cons(x, tail) =>
        s := s + x;
        rest := tail;
    }
  }
}
