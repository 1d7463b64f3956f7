// nat function result is non-negative
function Pred(n: nat): nat
{
  if n == 0 then 0 else n - 1
}
