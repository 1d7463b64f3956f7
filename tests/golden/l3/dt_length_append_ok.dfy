// Length of an append: induction on the first list, by a recursive lemma call.
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

function Length<T>(xs: List<T>): nat
{
  match xs
  case Nil => 0
  case Cons(_, tail) => 1 + Length(tail)
}

function Append<T>(xs: List<T>, ys: List<T>): List<T>
{
  match xs
  case Nil => ys
  case Cons(x, tail) => Cons(x, Append(tail, ys))
}

lemma LengthAppend<T>(xs: List<T>, ys: List<T>)
  ensures Length(Append(xs, ys)) == Length(xs) + Length(ys)
{
  match xs
  case Nil =>
  case Cons(x, tail) =>
    LengthAppend(tail, ys);
}

method Client()
{
  var a := Cons(1, Cons(2, Nil));
  var b := Cons(3, Nil);
  LengthAppend(a, b);
  assert Length(Append(a, b)) == 3;
}
