// A datatype field declared nat, and generic datatypes at nat, are checked when built.
datatype D = Mk(x: nat)
datatype Box<T> = MkBox(v: T)
datatype List<T> = Nil | Cons(head: T, tail: List<T>)

method Field()
{
  var d := Mk(-1);
  assert d.x < 0;
}

method Generic()
{
  var b: Box<nat> := MkBox(-1);
}

method Deep()
{
  var l: List<nat> := Cons(1, Cons(-1, Nil));
}

method Widen(l: List<int>) returns (r: List<nat>)
{
  r := l;
}
