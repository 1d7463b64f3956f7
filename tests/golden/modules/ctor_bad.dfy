// Constructors of an imported datatype, qualified; a `match` in another module that is wrong
// for one of them.
module Shapes {
  datatype Shape = Square(side: int) | Rect(w: int, h: int)
}

module Area {
  import S = Shapes

  function Area(s: S.Shape): int {
    match s
    case Square(a) => a * a
    case Rect(w, h) => w * h
  }

  lemma Positive(s: S.Shape)
    requires s.Square? ==> s.side > 0
    ensures Area(s) > 0
  {
  }

  lemma Uses()
    ensures Area(S.Square(3)) == 9 && Area(S.Rect(2, 5)) == 10
  {
  }
}
