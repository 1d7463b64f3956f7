// An int parameter: the hypothesis holds for smaller values that are at least 0.
function SumI(n: int): int { if n <= 0 then 0 else n + SumI(n - 1) }

lemma SumINonNegative(n: int)
  ensures SumI(n) >= 0
{ }

lemma SumIFormula(n: int)
  requires n >= 0
  ensures 2 * SumI(n) == n * (n + 1)
{ }

function Evens(n: int): int { if n <= 0 then 0 else 2 + Evens(n - 1) }

lemma EvensDouble(n: int)
  requires n >= 0
  ensures Evens(n) == 2 * n
{ }
