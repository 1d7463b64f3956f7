// A generic Option, a function with a precondition on the constructor, nested patterns.
datatype Option<T> = None | Some(value: T)
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

function Find(xs: List<int>, x: int): Option<nat>
{
  match xs
  case Nil => None
  case Cons(y, tail) =>
    if y == x then Some(0)
    else match Find(tail, x)
      case None => None
      case Some(i) => Some(i + 1)
}

function Get<T>(o: Option<T>): T
  requires o.Some?
{
  o.value
}

function SecondOr(xs: List<int>, default: int): int
{
  match xs
  case Cons(_, Cons(y, _)) => y
  case Cons(_, Nil) => default
  case Nil => default
}

method Client()
{
  var xs := Cons(5, Cons(7, Nil));
  assert Find(xs, 7) == Some(1);
  assert Get(Find(xs, 5)) == 0;
  assert Find(Cons(5, Nil), 9).None?;
  assert SecondOr(xs, 0) == 7;
  assert SecondOr(Cons(1, Nil), 0) == 0;
}
