// function precondition of the outer call may fail inside another function
function Pred(n: int): int
  requires n > 0
{
  n - 1
}

function PredPred(n: int): int
  requires n > 0
{
  Pred(Pred(n))
}
