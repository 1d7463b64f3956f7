// Fields read from values of nat-constrained datatypes are nats, at every depth.
datatype D = Mk(x: nat)
datatype Box<T> = MkBox(v: T)
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

method Reads(d: D, b: Box<nat>, l: List<nat>)
{
  assert d.x >= 0;
  assert b.v >= 0;
  if l.Cons? {
    assert l.head >= 0;
    if l.tail.Cons? {
      assert l.tail.head >= 0;
    }
  }
  match l {
    case Nil =>
    case Cons(h, t) => assert h >= 0;
  }
}

method Builds() returns (l: List<nat>)
  ensures l.Cons? && l.head == 1
{
  l := Cons(1, Cons(2, Nil));
}

function Head(l: List<nat>): nat
  requires l.Cons?
{
  l.head
}
