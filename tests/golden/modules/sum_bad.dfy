// A recursive function over a module's datatype, with a lemma whose claim is off by one.
module Nat {
  datatype N = Zero | Succ(pred: N)

  function ToInt(n: N): nat {
    match n
    case Zero => 0
    case Succ(p) => ToInt(p) + 1
  }

  function Add(a: N, b: N): N {
    match a
    case Zero => b
    case Succ(p) => Succ(Add(p, b))
  }

  lemma AddCounts(a: N, b: N)
    ensures ToInt(Add(a, b)) == ToInt(a) + ToInt(b) + 1
  {
  }
}
