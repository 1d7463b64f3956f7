// False lemmas stay unproved: the hypothesis is only for smaller values.
function Sum(n: nat): nat { if n == 0 then 0 else n + Sum(n - 1) }

lemma SumSquare(n: nat)
  ensures Sum(n) == n * n
{ }

lemma SumConstant(n: nat)
  ensures Sum(n) == 7
{ }

function SumI(n: int): int { if n <= 0 then 0 else n + SumI(n - 1) }

lemma SumIPositive(n: int)
  ensures SumI(n) > 0
{ }

lemma SumIFormulaEverywhere(n: int)
  ensures 2 * SumI(n) == n * (n + 1)
{ }
