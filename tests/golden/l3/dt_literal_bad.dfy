// The sum of 3, 1, 4, 1 is 9, not 10.
datatype List = Nil | Cons(head: int, tail: List)

function Length(xs: List): nat
{
  match xs
  case Nil => 0
  case Cons(_, tail) => 1 + Length(tail)
}

function Sum(xs: List): int
{
  match xs
  case Nil => 0
  case Cons(x, tail) => x + Sum(tail)
}

method Client()
{
  assert Length(Cons(1, Cons(2, Cons(3, Cons(4, Cons(5, Nil)))))) == 5;
  var a := Cons(3, Cons(1, Cons(4, Cons(1, Nil))));
  assert Length(a) == 4;
  assert Sum(a) == 10;
}
