// A calc proof: arithmetic steps, and a recursive function unfolded with a lemma as a hint.
function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma SumFormula(n: nat)
  ensures 2 * Sum(n) == n * (n + 1)
{
  if n > 0 {
    calc {
      2 * Sum(n);
      == 2 * (n + Sum(n - 1));
      == 2 * n + 2 * Sum(n - 1);
      == { SumFormula(n - 1); }
         2 * n + (n - 1) * n;
      == n * (n + 1);
    }
  }
}

lemma Square(x: int)
  ensures (x + 1) * (x + 1) == x * x + 2 * x + 1
{
  calc {
    (x + 1) * (x + 1);
    == x * (x + 1) + (x + 1);
    == x * x + x + x + 1;
    == x * x + 2 * x + 1;
  }
}

method Chain(x: int, y: int)
  requires x < y
{
  calc {
    x + 1;
    <= y;
    < { assert y < y + 1; } y + 1;
    == 1 + y;
  }
  assert x + 1 < 1 + y;
  calc ==> {
    x >= 3;
    x + 1 >= 4;
    2 * (x + 1) >= 8;
  }
  assert x >= 3 ==> 2 * x + 2 >= 8;
}

method Total(n: nat)
{
  calc == {
    2 * Sum(n);
    { SumFormula(n); }
    n * (n + 1);
  }
  assert 2 * Sum(n) == n * (n + 1);
}
