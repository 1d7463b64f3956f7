// A qualified lemma call whose precondition does not hold at the call.
module Arith {
  lemma Divides(a: int, b: int)
    requires b > 0
    ensures a + b > a
  {
  }
}

module Use {
  import Arith

  lemma Check(x: int)
  {
    Arith.Divides(x, 2);
    Arith.Divides(x, x);
  }
}
