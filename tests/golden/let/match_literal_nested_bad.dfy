// Literal patterns (current Dafny): `Cons(0, tail)` covers only the lists that start
// with 0, so Cons is missing.

datatype List = Nil | Cons(head: int, tail: List)

function ZeroHead(xs: List): bool
{
  match xs
  case Nil => false
  case Cons(0, tail) => true
}
