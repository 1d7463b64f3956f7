// A subset type as a type argument: the elements of a List<Index> are Index values.
type Index = i: int | 0 <= i < 10 witness 0
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

function Length<T>(l: List<T>): nat
{
  match l
  case Nil => 0
  case Cons(_, rest) => 1 + Length(rest)
}

method Heads(l: List<Index>) returns (r: seq<Index>)
  ensures |r| <= 1
  ensures forall k :: 0 <= k < |r| ==> r[k] < 10
{
  match l
  case Nil =>
    r := [];
  case Cons(h, _) =>
    assert h >= 0;
    r := [h];
}

method Build() returns (l: List<Index>)
  ensures Length(l) == 2
{
  l := Cons(3, Cons(9, Nil));
}
