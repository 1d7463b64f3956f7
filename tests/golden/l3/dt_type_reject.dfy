// A list of ints cannot hold a boolean.
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

method M()
{
  var xs: List<int> := Cons(true, Nil);
}
