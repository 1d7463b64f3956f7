datatype List<T> = Nil | Cons(head: T, tail: List<T>)

method M() {
  var xs := List.Cons(1, List.Nil);
  assert xs.tail.Cons?;
}

method N() {
  var ys := List<nat>.Cons(-1, List.Nil);
}
