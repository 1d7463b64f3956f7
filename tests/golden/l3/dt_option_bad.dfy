// Get needs Some, and Find can give None.
datatype Option<T> = None | Some(value: T)
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

function Get<T>(o: Option<T>): T
  requires o.Some?
{
  o.value
}

function Find(xs: List<int>, x: int): Option<nat>
{
  match xs
  case Nil => None
  case Cons(y, tail) => if y == x then Some(0) else None
}

function FirstIndex(xs: List<int>, x: int): nat
{
  Get(Find(xs, x))
}
