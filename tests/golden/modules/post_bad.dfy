// A method inside a module whose postcondition fails: reported where Dafny 2.3 reports it.
module Sums {
  function Sum(n: nat): nat {
    if n == 0 then 0 else n + Sum(n - 1)
  }

  method Loop(n: nat) returns (s: nat)
    ensures s == Sum(n)
  {
    s := 0;
    var i := 0;
    while i < n
      invariant 0 <= i <= n && s == Sum(i)
    {
      i := i + 1;
      s := s + i;
    }
    s := s + 1;
  }
}
