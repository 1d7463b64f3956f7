// The helper lemma is wrong: reversing an append does not keep the order of the parts.
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

function Append<T>(xs: List<T>, ys: List<T>): List<T>
{
  match xs
  case Nil => ys
  case Cons(x, tail) => Cons(x, Append(tail, ys))
}

function Reverse<T>(xs: List<T>): List<T>
{
  match xs
  case Nil => Nil
  case Cons(x, tail) => Append(Reverse(tail), Cons(x, Nil))
}

lemma ReverseAppend(xs: List<int>, ys: List<int>)
  ensures Reverse(Append(xs, ys)) == Append(Reverse(xs), Reverse(ys))
{
  match xs
  case Nil =>
  case Cons(x, tail) =>
    ReverseAppend(tail, ys);
}
