// Calc steps: a wrong step is confirmed by evaluating its two sides at the counterexample,
// a true one that needs a hint is not reproduced.
lemma Wrong(x: int)
  ensures 2 * x + 1 > x
{
  calc {
    2 * x + 1;
  ==
    x + x + 1;
  >
    x;
  }
}

lemma WrongStep(x: int)
  requires x >= 0
  ensures 3 * x >= x
{
  calc {
    3 * x;
  ==
    x + x;
  >=
    x;
  }
}

function Sum(n: nat): nat
{
  if n == 0 then 0 else n + Sum(n - 1)
}

lemma NeedsHint(n: int)
  requires n >= 2
  decreases 0  // no induction hypothesis: the second step needs one
  ensures Sum(n) == n * (n + 1) / 2
{
  calc {
    Sum(n);
  ==
    n + Sum(n - 1);
  ==
    n * (n + 1) / 2;
  }
}
