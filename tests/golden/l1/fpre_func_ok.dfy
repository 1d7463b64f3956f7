// function precondition holds when called from another function
function Pred(n: int): int
  requires n > 0
{
  n - 1
}

function PredPred(n: int): int
  requires n > 1
{
  Pred(Pred(n))
}
