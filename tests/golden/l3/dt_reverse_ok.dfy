// Reverse(Reverse(xs)) == xs, with the helper lemmas it needs.
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

lemma AppendNil<T>(xs: List<T>)
  ensures Append(xs, Nil) == xs
{
  match xs
  case Nil =>
  case Cons(x, tail) =>
    AppendNil(tail);
}

lemma AppendAssoc<T>(xs: List<T>, ys: List<T>, zs: List<T>)
  ensures Append(Append(xs, ys), zs) == Append(xs, Append(ys, zs))
{
  match xs
  case Nil =>
  case Cons(x, tail) =>
    AppendAssoc(tail, ys, zs);
}

lemma ReverseAppend<T>(xs: List<T>, ys: List<T>)
  ensures Reverse(Append(xs, ys)) == Append(Reverse(ys), Reverse(xs))
{
  match xs
  case Nil =>
    AppendNil(Reverse(ys));
  case Cons(x, tail) =>
    ReverseAppend(tail, ys);
    AppendAssoc(Reverse(ys), Reverse(tail), Cons(x, Nil));
}

lemma ReverseReverse<T>(xs: List<T>)
  ensures Reverse(Reverse(xs)) == xs
{
  match xs
  case Nil =>
  case Cons(x, tail) =>
    ReverseAppend(Reverse(tail), Cons(x, Nil));
    ReverseReverse(tail);
}
