type Index = i: int | 0 <= i < 10 witness 0
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

method Build(x: int) returns (l: List<Index>)
  requires x > 0
{
  l := Cons(x, Nil);
}
