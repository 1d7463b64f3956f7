// A constructor may be named with its datatype: `List.Cons`, `Color.Red`, and with the
// instance of a generic datatype, `List<int>.Nil`.
datatype List<T> = Nil | Cons(head: T, tail: List<T>)
datatype Color = Red | Green | Blue

function Length<T>(xs: List<T>): nat
{
  match xs
  case Nil => 0
  case Cons(_, tail) => 1 + Length(tail)
}

method M() {
  var xs := List.Cons(1, List.Cons(2, List.Nil));
  assert Length(xs) == 2;
  var empty := List<int>.Nil;
  var one := List<int>.Cons(7, empty);
  assert one.tail == empty && one.head == 7;
  var c := Color.Red;
  assert c == Red && c != Color.Blue;
}
