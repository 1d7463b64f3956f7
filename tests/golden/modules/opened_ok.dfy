// `import opened`: a module's declarations unqualified, its datatype's constructors too; a
// `case` names a constructor of the matched value's type, never qualified (as Dafny requires).
module Lists {
  datatype List = Nil | Cons(head: int, tail: List)

  function Length(xs: List): nat {
    match xs
    case Nil => 0
    case Cons(_, tail) => 1 + Length(tail)
  }

  function Append(xs: List, ys: List): List {
    match xs
    case Nil => ys
    case Cons(h, t) => Cons(h, Append(t, ys))
  }

  lemma LengthAppend(xs: List, ys: List)
    ensures Length(Append(xs, ys)) == Length(xs) + Length(ys)
  {
  }
}

module Uses {
  import opened Lists

  function Sum(xs: List): int {
    match xs
    case Nil => 0
    case Cons(h, t) => h + Sum(t)
  }

  lemma SumAppend(xs: List, ys: List)
    ensures Sum(Append(xs, ys)) == Sum(xs) + Sum(ys)
  {
    match xs
    case Nil =>
    case Cons(h, t) =>
      SumAppend(t, ys);
  }

  lemma Example()
    ensures Length(Append(Cons(1, Nil), Lists.Cons(2, Lists.Nil))) == 2
  {
    LengthAppend(Cons(1, Nil), Lists.Cons(2, Lists.Nil));
  }
}

module Qualified {
  import Lists

  lemma Three(xs: Lists.List)
    requires xs.Cons?
    ensures Lists.Length(Lists.Cons(3, xs)) >= 2
  {
    var ys: Lists.List := Lists.Cons(3, xs);
    assert ys.tail == xs;
    match xs
    case Cons(_, _) =>
  }
}
