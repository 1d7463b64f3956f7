// Two modules declare a function of the same name; each is reached through its module's
// name, an alias, or unqualified inside its own module.
module Inc {
  function Step(x: int): int { x + 1 }
  lemma StepGrows(x: int)
    ensures Step(x) > x
  {
  }
}

module Double {
  function Step(x: int): int { 2 * x }
  module Inner {
    function Twice(x: int): int { x + x }
  }
  lemma InnerAgrees(x: int)
    ensures Inner.Twice(x) == Step(x)
  {
  }
}

module Client {
  import Inc
  import D = Double
  import In = D.Inner

  lemma Both(x: int)
    requires x >= 0
    ensures Inc.Step(x) <= D.Step(x) + 1
    ensures In.Twice(x) == D.Step(x)
  {
    Inc.StepGrows(x);
    D.InnerAgrees(x);
  }

  method Count(n: nat) returns (r: int)
    ensures r == 2 * n
  {
    r := 0;
    var i := 0;
    while i < n
      invariant 0 <= i <= n && r == 2 * i
    {
      r := r + 2;
      i := i + 1;
    }
  }
}

function Step(x: int): int { x - 1 }

method Main() returns (r: int)
  ensures r == 6
{
  r := Client.Count(3);
  assert Inc.Step(1) == 2 && Double.Step(1) == 2 && Step(1) == 0;
  assert Double.Inner.Twice(2) == 4;
}
